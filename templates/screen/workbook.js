// The workbook's memory: answers saved in this browser as they are typed, progress, download,
// import and clear. Everything stays on this device; the page makes no request.
(function () {
  "use strict";

  var FORMAT = "pathway-builder-answers";
  var FORMAT_VERSION = 1;
  var MAX_IMPORT_BYTES = 5 * 1024 * 1024;
  var PREFIX = "pathway-builder:";
  var NOT_KEPT = "This browser is not keeping your answers (its storage is turned off or full). " +
                 "Download them before you close the page.";
  var body = document.body;
  var pathway = { id: body.dataset.pathway, version: body.dataset.version, title: body.dataset.title };
  // One key per pathway and version: workbooks opened from files share one origin, so the key
  // is what keeps two pathways' answers apart.
  var key = PREFIX + pathway.id + ":" + pathway.version;
  var lang = usableLanguage(document.documentElement.lang);

  var texts = Array.prototype.slice.call(document.querySelectorAll("main textarea[name]"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("main input[type=checkbox][name$='.done']"));
  var status = document.getElementById("status");
  var saved = document.getElementById("saved");
  var alarm = document.getElementById("storage-alert");
  var offer = document.getElementById("earlier");
  var storageFailed = false;
  // What this browser holds as this page last knew it: the newest record's `saved` stamp, and its
  // answers and ticks. A write of another tab's reaches this one a moment late, and may land after
  // a newer one; the stamp is what tells them apart.
  var newest = "";
  var held = "";

  function usableLanguage(tag) {
    // A tag the pattern allows may still be one the browser refuses; dates then fall back.
    try {
      return Intl.DateTimeFormat.supportedLocalesOf([tag]).length ? tag : "en-GB";
    } catch (error) {
      return "en-GB";
    }
  }

  function has(map, name) { return Object.prototype.hasOwnProperty.call(map, name); }
  function itemOf(box) { return box.name.slice(0, -".done".length); }
  function plural(count, noun) { return count + " " + noun + (count === 1 ? "" : "s"); }
  function clock(date) { return date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" }); }
  function day(date) { return date.toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" }); }

  // --- the record: { answers: {field name: text}, done: [item id, ...] } ---

  function blank() { return { answers: {}, done: [] }; }

  function collect() {
    var record = blank();
    texts.forEach(function (field) { if (field.value.trim()) { record.answers[field.name] = field.value; } });
    record.done = boxes.filter(function (box) { return box.checked; }).map(itemOf);
    return record;
  }

  function isEmpty(record) { return Object.keys(record.answers).length === 0 && record.done.length === 0; }

  // A record's answers and ticks in page order, to tell whether the page holds what was saved.
  function snapshot(record) {
    return JSON.stringify([
      texts.map(function (field) {
        var text = has(record.answers, field.name) ? record.answers[field.name] : "";
        return text.trim() ? text : "";
      }),
      boxes.map(function (box) { return record.done.indexOf(itemOf(box)) >= 0; })
    ]);
  }

  // A stamp later than `previous`, even within one millisecond or with the clock set back.
  function stampAfter(previous) {
    var now = new Date().toISOString();
    return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
  }

  function apply(record, keep) {
    texts.forEach(function (field) {
      if (field !== keep) {
        field.value = has(record.answers, field.name) ? record.answers[field.name] : "";
        mirror(field);
      }
    });
    boxes.forEach(function (box) { box.checked = record.done.indexOf(itemOf(box)) >= 0; });
    progress();
  }

  function Refusal(message) { this.message = message; }

  // The answers and finished items of a record, checked: text where text belongs, each item once.
  function checked(data) {
    if (!data || typeof data !== "object" || Array.isArray(data)) { throw new Refusal("it holds no answers"); }
    var answers = data.answers, done = data.done;
    if (!answers || typeof answers !== "object" || Array.isArray(answers)) {
      throw new Refusal("its answers are missing");
    }
    Object.keys(answers).forEach(function (name) {
      if (typeof answers[name] !== "string") { throw new Refusal("the answer to " + name + " is not text"); }
    });
    if (!Array.isArray(done) || done.some(function (id) { return typeof id !== "string"; })) {
      throw new Refusal("its list of finished items is damaged");
    }
    return { answers: answers, done: done.filter(function (id, index) { return done.indexOf(id) === index; }),
             saved: typeof data.saved === "string" ? data.saved : "" };
  }

  // What of a record this workbook has a place for, and how much had none.
  function fit(record) {
    var fields = Object.create(null);
    texts.forEach(function (field) { fields[field.name] = true; });
    var items = boxes.map(itemOf);
    var kept = blank();
    kept.left = 0;
    Object.keys(record.answers).forEach(function (name) {
      if (fields[name] === true) { kept.answers[name] = record.answers[name]; } else { kept.left += 1; }
    });
    record.done.forEach(function (id) {
      if (items.indexOf(id) >= 0) { kept.done.push(id); } else { kept.left += 1; }
    });
    return kept;
  }

  // --- storage ---

  // The record stored under a key: null when there is none, undefined when it cannot be read.
  function stored(storageKey) {
    var text;
    try {
      text = window.localStorage.getItem(storageKey);
    } catch (error) {
      return null;
    }
    if (text === null) { return null; }
    try {
      return checked(JSON.parse(text));
    } catch (error) {
      return undefined;
    }
  }

  // Saves what the workbook holds; `field` is the one being typed in, if any.
  function save(field) {
    var record = collect();
    var empty = isEmpty(record);
    try {
      if (empty) {
        window.localStorage.removeItem(key);
      } else {
        record.saved = stampAfter(newest);
        window.localStorage.setItem(key, JSON.stringify(record));
        newest = record.saved;
      }
    } catch (error) {
      notKept(field);
      return false;
    }
    held = snapshot(record);
    if (storageFailed) {
      storageFailed = false;
      alarm.hidden = true;
      alarm.textContent = "";
      document.querySelectorAll(".field-warning").forEach(function (note) {
        note.parentNode.querySelector("textarea").removeAttribute("aria-describedby");  // it named the note
        note.remove();
      });
    }
    if (!empty) { offer.hidden = true; }  // this version has answers of its own now
    saved.textContent = empty ? "Nothing saved yet." : "Saved in this browser at " + clock(new Date()) + ".";
    return true;
  }

  function notKept(field) {
    if (!storageFailed) {  // an alert is announced each time it changes, so it is set once
      storageFailed = true;
      alarm.textContent = NOT_KEPT;
      alarm.hidden = false;
    }
    saved.textContent = "Not saved: this browser is not keeping your answers.";
    if (field && !field.parentNode.querySelector(".field-warning")) {
      // Said again where the learner is typing, far from the alert at the top.
      var note = document.createElement("p");
      note.className = "field-warning";
      note.id = field.id + "-warning";
      note.append("Not saved in this browser. ");
      var link = document.createElement("a");
      link.href = "#answers";
      link.textContent = "Download your answers";
      note.append(link, " before you close the page.");
      field.parentNode.appendChild(note);
      field.setAttribute("aria-describedby", note.id);
    }
  }

  function storageWorks() {
    try {
      window.localStorage.setItem(PREFIX + "test", "");
      window.localStorage.removeItem(PREFIX + "test");
      return true;
    } catch (error) {
      return false;
    }
  }

  // Every key this pathway has in this browser: this version's, earlier versions', set-aside ones.
  function pathwayKeys() {
    var names = [];
    try {
      for (var index = 0; index < window.localStorage.length; index += 1) {
        var name = window.localStorage.key(index);
        if (name.indexOf(PREFIX + pathway.id + ":") === 0) { names.push(name); }
      }
    } catch (error) { /* nothing can be read, so there is nothing to list */ }
    return names;
  }

  // The newest record of another version of this pathway, if this browser holds one.
  function earlierVersion() {
    var found = null;
    pathwayKeys().forEach(function (name) {
      if (name === key || /:unreadable$/.test(name)) { return; }
      var record = stored(name);
      if (record && !isEmpty(record) && (!found || record.saved > found.record.saved)) {
        found = { key: name, version: name.slice((PREFIX + pathway.id + ":").length), record: record };
      }
    });
    return found;
  }

  // --- what the page shows ---

  function say(message, isError) {
    // Emptied first, so that the same message twice is still announced.
    status.textContent = "";
    status.classList.toggle("is-error", Boolean(isError));
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function mirror(field) {
    // A printed page shows the whole answer, which a text area would cut short.
    var copy = field.nextElementSibling;
    if (!copy || !copy.classList.contains("answer-print")) {
      copy = document.createElement("div");
      copy.className = "answer-print";
      copy.setAttribute("aria-hidden", "true");
      field.parentNode.insertBefore(copy, field.nextSibling);
    }
    copy.textContent = field.value;
  }

  function showProgress(name, done, total) {
    document.querySelectorAll("[data-progress='" + name + "']").forEach(function (element) {
      element.querySelector(".progress-done").textContent = done;
      element.querySelector(".progress-fill").style.width = (total ? 100 * done / total : 0) + "%";
    });
    document.querySelectorAll("[data-progress-of='" + name + "']").forEach(function (element) {
      element.textContent = done + " of " + total + " done";
    });
  }

  function progress() {
    var all = 0;
    var next = null;
    document.querySelectorAll("section.level[data-level]").forEach(function (level) {
      var done = 0;
      var items = level.querySelectorAll("article.item");
      items.forEach(function (item) {
        var finished = item.querySelector("input[type=checkbox]").checked;
        done += finished ? 1 : 0;
        if (!finished && !next) { next = item; }
        item.classList.toggle("is-done", finished);
        var entry = document.querySelector(".contents li[data-item='" + item.dataset.item + "']");
        entry.classList.toggle("is-done", finished);
        entry.querySelector(".contents-done").hidden = !finished;
      });
      all += done;
      showProgress(level.dataset.level, done, items.length);
    });
    showProgress("all", all, boxes.length);
    var onward = document.getElementById("continue");
    if (next) {
      onward.href = "#" + next.id;
      onward.textContent = (all ? "Continue with " : "Start with ") + next.dataset.number + " " + next.querySelector("h3").textContent.trim();
    } else {
      onward.href = "#action-plan";
      onward.textContent = "Every item is done: go to My action plan";
    }
    return all;
  }

  // --- download ---

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function today() {
    var now = new Date();  // the learner's own date, not UTC's
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function download(name, type, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function labelText(field) {
    var copy = field.labels[0].cloneNode(true);
    copy.querySelectorAll(".visually-hidden").forEach(function (hidden) { hidden.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  var ADDRESS = /(https?:\/\/[^\s<>]*[^\s<>.,;:!?)"'’”])/;

  // Text as it reads on the page, which Markdown must not read as emphasis, code, links or HTML.
  // A web address stays one, and stays a link. Escapes that every reader of Markdown knows are used,
  // and entities for < and & only where they would start a tag or an entity.
  function literal(text) {
    return text.split(ADDRESS).map(function (part, index) {
      return index % 2 ? "<" + part + ">" : part.replace(/[\\`*_[\]~]/g, "\\$&")
        .replace(/&(?=#?\w+;)/g, "&amp;").replace(/<(?=[A-Za-z\/!?])/g, "&lt;");
    }).join("");
  }

  // The learner's words as they wrote them, line for line, in a quote that Markdown reads as
  // plain text: nothing they type becomes a heading, list, link, rule, code or HTML.
  function quote(text) {
    var lines = text.replace(/\r\n?/g, "\n").trim().split("\n").map(function (line) {
      return literal(line.trim()).replace(/^([#+\-=>])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");
    });
    return lines.map(function (line, index) {
      var more = index < lines.length - 1 && line && lines[index + 1];
      return line ? "> " + line + (more ? "  " : "") : ">";  // two spaces: the line break is kept
    }).join("\n");
  }

  function answered(container) {
    var blocks = [];
    container.querySelectorAll("textarea[name]").forEach(function (field) {
      if (field.value.trim()) { blocks.push("**" + literal(labelText(field)) + "**\n\n" + quote(field.value) + "\n"); }
    });
    return blocks;
  }

  function markdown() {
    var done = collect().done.length;
    var lines = ["# " + literal(pathway.title) + ": my answers", ""];
    lines.push((pathway.version ? "Version " + pathway.version + ". " : "") + "Downloaded on " + day(new Date()) +
               ". " + done + " of " + plural(boxes.length, "item") + " done.", "");
    document.querySelectorAll("section.level[data-level]").forEach(function (level) {
      lines.push("## Level " + level.dataset.number + ": " + literal(level.querySelector("h2").textContent.trim()), "");
      if (level.dataset.session) { lines.push("Session on " + level.dataset.session + ".", ""); }
      level.querySelectorAll("article.item").forEach(function (item) {
        var blocks = answered(item);
        var link = item.querySelector(".resource-link");
        lines.push("### " + item.dataset.number + " " + literal(item.querySelector("h3").textContent.trim()), "");
        lines.push((item.querySelector("input[type=checkbox]").checked ? "Done." : "Not done yet.") +
                   (blocks.length ? "" : " No answers yet.") +
                   (link ? " Resource: <" + link.getAttribute("href") + ">" : ""), "");
        lines.push.apply(lines, blocks);
      });
    });
    var plan = document.getElementById("action-plan");
    var actions = answered(plan);
    lines.push("## " + literal(plan.querySelector("h2").textContent.trim()), "");
    if (!actions.length) { lines.push("No actions written yet.", ""); }
    lines.push.apply(lines, actions);
    return lines.join("\n").replace(/\n+$/, "\n");
  }

  function backup() {
    var record = collect();
    return JSON.stringify({
      format: FORMAT, format_version: FORMAT_VERSION,
      pathway: { id: pathway.id, version: pathway.version, title: pathway.title },
      exported: new Date().toISOString(),
      answers: record.answers, done: record.done
    }, null, 2) + "\n";
  }

  // --- import ---

  var CHOOSE = "Choose the file that “Download a backup (JSON)” saved.";

  function parseBackup(name, text) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new Refusal("“" + name + "” is not a backup of answers: it is not JSON. " + CHOOSE);
    }
    if (!data || data.format !== FORMAT) {
      throw new Refusal("“" + name + "” is not a backup of answers from a pathway workbook. " + CHOOSE);
    }
    if (data.format_version !== FORMAT_VERSION) {
      throw new Refusal("“" + name + "” was saved in a form this workbook cannot read (format version " +
                        JSON.stringify(data.format_version) + "). Import it into a workbook built with the " +
                        "same or a newer pathway builder.");
    }
    if (!data.pathway || typeof data.pathway !== "object" || data.pathway.id !== pathway.id) {
      var other = data.pathway && typeof data.pathway.title === "string" ? data.pathway.title : "another pathway";
      throw new Refusal("“" + name + "” holds answers for “" + other + "”, not for “" + pathway.title +
                        "”. Open that pathway’s workbook to import it.");
    }
    var record;
    try {
      record = fit(checked(data));
    } catch (refusal) {
      if (!(refusal instanceof Refusal)) { throw refusal; }
      throw new Refusal("“" + name + "” is damaged: " + refusal.message + ".");
    }
    record.version = typeof data.pathway.version === "string" ? data.pathway.version : "";
    return record;
  }

  function counted(record) {
    return plural(Object.keys(record.answers).length, "answer") + " and " + plural(record.done.length, "finished item");
  }

  function bringIn(record, message) {
    apply(record);
    if (record.left) {
      message += " " + plural(record.left, "answer") + " for items this workbook does not have " +
                 (record.left === 1 ? "was" : "were") + " left out.";
    }
    if (!save()) { message += " " + NOT_KEPT; }
    say(message);
  }

  function fromFile(record, name) {
    var message = "Imported " + counted(record) + " from “" + name + "”";
    if (record.version !== pathway.version) {
      message += ", which was saved from " + (record.version ? "version " + record.version :
                                               "a version without a number") + " of this pathway";
    }
    bringIn(record, message + ".");
  }

  function readBackup(file) {
    if (file.size > MAX_IMPORT_BYTES) {
      say("“" + file.name + "” is too large to be a backup of answers. " + CHOOSE + " Nothing was changed.", true);
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      var record;
      try {
        record = parseBackup(file.name, String(reader.result));
      } catch (refusal) {
        if (!(refusal instanceof Refusal)) { throw refusal; }
        say(refusal.message + " Nothing was changed.", true);
        return;
      }
      if (isEmpty(collect())) {
        fromFile(record, file.name);
      } else {
        ask("Replace your answers?",
            "The answers in “" + file.name + "” will replace every answer and tick in this workbook.",
            "Replace my answers",
            function () { fromFile(record, file.name); },
            function () { say("Nothing was imported: your answers are as they were."); });
      }
    };
    reader.onerror = function () { say("“" + file.name + "” could not be read. Nothing was changed.", true); };
    reader.readAsText(file);
  }

  // --- confirmation ---

  var dialog = document.getElementById("confirm");
  var onYes = null, onNo = null;

  function ask(title, text, yes, whenYes, whenNo) {
    document.getElementById("confirm-title").textContent = title;
    document.getElementById("confirm-text").textContent = text;
    document.getElementById("confirm-yes").textContent = yes;
    onYes = whenYes;
    onNo = whenNo;
    dialog.returnValue = "";
    dialog.showModal();
  }

  document.getElementById("confirm-yes").addEventListener("click", function () { dialog.close("yes"); });
  document.getElementById("confirm-no").addEventListener("click", function () { dialog.close("no"); });
  dialog.addEventListener("close", function () {  // Escape closes it too, as a no
    var chosen = dialog.returnValue === "yes" ? onYes : onNo;
    onYes = onNo = null;
    if (chosen) { chosen(); }
  });

  // --- wiring ---

  texts.forEach(function (field) {
    field.addEventListener("input", function () { mirror(field); save(field); });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      save();
      var done = progress();
      var title = box.closest(".item").querySelector("h3").textContent.trim();
      say("Marked “" + title + "” as " + (box.checked ? "done" : "not done") + ". " +
          done + " of " + plural(boxes.length, "item") + " done.");
    });
  });
  document.getElementById("export-markdown").addEventListener("click", function () {
    download(pathway.id + "-answers-" + today() + ".md", "text/markdown;charset=utf-8", markdown());
    say("Your answers were downloaded as a document.");
  });
  document.getElementById("export-json").addEventListener("click", function () {
    download(pathway.id + "-answers-" + today() + ".json", "application/json", backup());
    say("A backup of your answers was downloaded. Import it in another browser or on another device " +
        "to carry on there.");
  });
  var chooser = document.getElementById("import-file");
  document.getElementById("import").addEventListener("click", function () { chooser.click(); });
  chooser.addEventListener("change", function () {
    if (chooser.files.length) { readBackup(chooser.files[0]); }
    chooser.value = "";
  });
  document.getElementById("clear").addEventListener("click", function () {
    ask("Clear all answers?",
        "This deletes every answer and tick of this pathway from this browser, those kept from " +
        "earlier versions too. It cannot be undone: download your answers first if you may want them again.",
        "Clear all answers",
        function () {
          apply(blank());
          pathwayKeys().forEach(function (name) { window.localStorage.removeItem(name); });
          offer.hidden = true;
          save();
          say("All answers were cleared.");
        },
        function () { say("Nothing was cleared."); });
  });
  // Another tab of this workbook saved: show its answers here too, but leave the field being typed in.
  window.addEventListener("storage", function (event) {
    if (event.key !== key && event.key !== null) { return; }
    var record = stored(key);
    if (record && record.saved && newest && record.saved < newest) {
      // An older write that landed late: it is not shown, and the newer answers go back over it.
      save();
      return;
    }
    record = record || blank();
    apply(record, document.activeElement);
    newest = record.saved || newest;
    held = snapshot(record);
    saved.textContent = "Brought up to date with another tab at " + clock(new Date()) + ".";
  });
  // Saved as typed, and once more as the page is hidden or left, for a field that changed without an
  // input event (a browser's autofill, say). Only a page that differs from what it last saved or
  // showed writes, so a tab left open never writes its answers over another tab's newer ones.
  function saveIfChanged() {
    if (!storageFailed && snapshot(collect()) !== held) { save(); }
  }
  window.addEventListener("pagehide", saveIfChanged);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { saveIfChanged(); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (storageFailed && !isEmpty(collect())) { event.preventDefault(); event.returnValue = ""; }
  });

  // --- start ---

  document.documentElement.classList.add("js");
  document.querySelectorAll(".needs-script, [data-progress], [data-progress-of]").forEach(function (element) {
    element.hidden = false;
  });
  if (!storageWorks()) { notKept(); }
  var record = stored(key);
  if (record === undefined) {
    // Kept aside rather than written over: someone may yet be able to read it.
    try {
      window.localStorage.setItem(key + ":unreadable", window.localStorage.getItem(key));
      window.localStorage.removeItem(key);
    } catch (error) { /* the alert below says enough */ }
    alarm.textContent = "The answers saved earlier in this browser could not be read, so this workbook " +
                        "starts empty. They are kept aside, not deleted.";
    alarm.hidden = false;
    record = null;
  }
  if (record) {
    apply(record);
    newest = record.saved;
    held = snapshot(record);
    saved.textContent = "Your answers are here" + (record.saved ?
      ", last saved in this browser at " + clock(new Date(record.saved)) + " on " + day(new Date(record.saved)) :
      ", saved in this browser") + ".";
  } else {
    texts.forEach(mirror);
    progress();
    held = snapshot(blank());  // a field the browser filled in itself is then saved when the page is left
    var earlier = earlierVersion();
    if (earlier) {
      var version = earlier.version || "(none)";
      offer.querySelector(".earlier-text").textContent = "This browser holds " + counted(earlier.record) +
        " from version " + version + " of this pathway" +
        (earlier.record.saved ? ", last saved on " + day(new Date(earlier.record.saved)) : "") +
        ". Bring them into this version to carry on.";
      offer.hidden = false;
      // Offered only while this version is empty (typing hides it), so nothing is written over.
      offer.querySelector("button").addEventListener("click", function () {
        var kept = fit(earlier.record);
        bringIn(kept, "Brought over " + counted(kept) + " from version " + version + ".");
        if (!kept.left && !storageFailed) { window.localStorage.removeItem(earlier.key); }  // all of it is here now
        document.getElementById("answers-title").focus();  // the button has gone
      });
    }
  }
}());
