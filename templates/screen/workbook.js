// The workbook's memory: answers saved in this browser as they are typed, progress, download,
// import and clear. Everything stays on this device; the page makes no request.
(function () {
  "use strict";

  var FORMAT = "pathway-builder-answers";
  var FORMAT_VERSION = 1;
  var MAX_IMPORT_BYTES = 5 * 1024 * 1024;
  var PREFIX = "pathway-builder:";
  // The words, from the page: the builder writes them from the workbook's language's catalogue.
  var TEXT = JSON.parse(document.getElementById("workbook-text").textContent);
  var NOT_KEPT = TEXT.strings.notKept;
  var body = document.body;
  var pathway = { id: body.dataset.pathway, version: body.dataset.version, title: body.dataset.title };
  // One key per pathway and version: workbooks opened from files share one origin, so the key
  // is what keeps two pathways' answers apart.
  var key = PREFIX + pathway.id + ":" + pathway.version;

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
  // The learning platform the page runs inside (platform.js, in the SCORM package only), or null.
  var platform = typeof pathwayPlatform !== "undefined" && pathwayPlatform.start() ? pathwayPlatform : null;

  function has(map, name) { return Object.prototype.hasOwnProperty.call(map, name); }
  function itemOf(box) { return box.name.slice(0, -".done".length); }
  // An item as the page names it: its number and title.
  function itemName(item) { return item.dataset.number + " " + item.querySelector("h3").textContent.trim(); }
  // A field's text as the documents give it: its line breaks one kind, its ends trimmed.
  function typed(field) { return field.value.replace(/\r\n?/g, "\n").trim(); }
  // A text with its {names} set in; one pass, so a value that holds braces stays as it is.
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return has(values, name) ? String(values[name]) : all; });
  }
  function t(name, values) { return fill(TEXT.strings[name], values || {}); }
  // The form of a plural a count takes; a count of 200 or more takes that of 100 + its last two digits.
  function plural(name, count, values) {
    var form = TEXT.pluralForm[count < TEXT.pluralForm.length ? count : 100 + count % 100];
    var all = { count: count };
    Object.keys(values || {}).forEach(function (value) { all[value] = values[value]; });
    return fill(TEXT.plurals[name][form], all);
  }
  // Dates and times of the learner's own day, with month names the builder took from the catalogue's
  // locale: a browser may not know them (Chromium gives Welsh dates in English).
  function clock(date) { return pad(date.getHours()) + ":" + pad(date.getMinutes()); }
  function day(date) {
    return t("date", { day: date.getDate(), month: TEXT.months[date.getMonth()], year: date.getFullYear() });
  }

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
    gather();
  }

  // Each level's action plan lists the one action written at each of its items, linked to where it was written.
  function gather() {
    document.querySelectorAll("#action-plan .gathered").forEach(function (block) {
      var list = block.querySelector("ul");
      list.textContent = "";
      chosenActions(block.dataset.gathers).forEach(function (chosen) {
        var entry = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + chosen.field.id;
        link.textContent = itemName(chosen.item);
        entry.append(link, ": " + typed(chosen.field));
        list.appendChild(entry);
      });
      block.hidden = !list.children.length;
    });
  }

  // The one action written at each item of a level, in page order: [{ item, field }].
  function chosenActions(levelId) {
    var chosen = [];
    document.getElementById("level-" + levelId).querySelectorAll("article.item").forEach(function (item) {
      var field = item.querySelector("textarea[name$='.one-action']");
      if (field && field.value.trim()) { chosen.push({ item: item, field: field }); }
    });
    return chosen;
  }

  function Refusal(message) { this.message = message; }

  // The answers and finished items of a record, checked: text where text belongs, each item once.
  function checked(data) {
    if (!data || typeof data !== "object" || Array.isArray(data)) { throw new Refusal(t("noAnswersHeld")); }
    var answers = data.answers, done = data.done;
    if (!answers || typeof answers !== "object" || Array.isArray(answers)) {
      throw new Refusal(t("answersMissing"));
    }
    Object.keys(answers).forEach(function (name) {
      if (typeof answers[name] !== "string") { throw new Refusal(t("notText", { name: name })); }
    });
    if (!Array.isArray(done) || done.some(function (id) { return typeof id !== "string"; })) {
      throw new Refusal(t("doneDamaged"));
    }
    return { answers: answers, done: done.filter(function (id, index) { return done.indexOf(id) === index; }),
             saved: typeof data.saved === "string" ? data.saved : "",
             elsewhere: Array.isArray(data.elsewhere) ? data.elsewhere : [] };
  }

  // What of a record this workbook has a place for, and how much had none.
  function fit(record) {
    var fields = Object.create(null);
    texts.forEach(function (field) { fields[field.name] = true; });
    var items = boxes.map(itemOf);
    var kept = blank();
    kept.left = 0;
    kept.saved = record.saved;
    kept.elsewhere = record.elsewhere;
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
    record.saved = stampAfter(newest);
    if (platform) { platform.keep(forPlatform(record), PLATFORM_WORDS); }
    try {
      if (empty) {
        window.localStorage.removeItem(key);
      } else {
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
    saved.textContent = empty ? t("nothingSaved") : t("savedAt", { time: clock(new Date()) });
    return true;
  }

  function notKept(field) {
    if (!storageFailed) {  // an alert is announced each time it changes, so it is set once
      storageFailed = true;
      alarm.textContent = NOT_KEPT;
      alarm.hidden = false;
    }
    saved.textContent = t("notSaved");
    if (field && !field.parentNode.querySelector(".field-warning")) {
      // Said again where the learner is typing, far from the alert at the top.
      var note = document.createElement("p");
      note.className = "field-warning";
      note.id = field.id + "-warning";
      var link = document.createElement("a");
      link.href = "#answers";
      link.textContent = t("downloadYours");
      var around = t("notSavedHere").split("{link}");
      note.append(around[0], link, around.slice(1).join("{link}"));
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

  // --- the learning platform's copy ---

  function forPlatform(record) {
    return { answers: record.answers, done: record.done, saved: record.saved || stampAfter(newest),
             allDone: record.done.length === boxes.length };
  }

  // Where an answer is, as the platform's note names it: its item, or the action plan.
  function place(field) {
    var item = field.closest("article.item");
    return item ? { key: item.id, label: itemName(item) } :
      { key: "action-plan", label: document.querySelector("#action-plan h2").textContent.trim() };
  }

  var PLATFORM_WORDS = {
    place: place,
    count: function (count) { return plural("platformLeft", count); },
    answers: function (count) { return plural("answers", count); },
    committed: function () {
      document.getElementById("platform-saved").textContent = t("platformSaved", { time: clock(new Date()) });
    }
  };

  // Which record to start from: the browser's, or the platform's when it was saved later (on another
  // computer, say), with the answers that did not fit the platform taken from the browser where it has them.
  function newer(local, there) {
    try {
      there = fit(checked(there));
    } catch (refusal) {
      if (!(refusal instanceof Refusal)) { throw refusal; }
      return { record: local, from: "" };
    }
    var stamp = typeof there.saved === "string" ? there.saved : "";
    if (local && (local.saved || "") >= stamp) { return { record: local, from: "" }; }
    var missing = 0;
    (there.elsewhere || []).forEach(function (name) {
      if (local && has(local.answers, name)) { there.answers[name] = local.answers[name]; } else { missing += 1; }
    });
    there.saved = stamp;
    return { record: there, from: "platform", missing: missing };
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
      element.textContent = t("doneOf", { done: done, total: total });
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
      onward.textContent = t(all ? "continueWith" : "startWith",
                             { item: itemName(next) });
    } else {
      onward.href = "#action-plan";
      onward.textContent = t("allDone");
    }
    return all;
  }

  // --- download ---

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function today() {
    var now = new Date();  // the learner's own date, not UTC's
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function download(name, type, content) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type: type }));
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
    var lines = ["# " + t("myAnswers", { title: literal(pathway.title) }), ""];
    lines.push((pathway.version ? t("version", { version: pathway.version }) + " " : "") +
               t("downloadedOn", { date: day(new Date()) }) + " " + plural("itemsDone", boxes.length, { done: done }), "");
    document.querySelectorAll("section.level[data-level]").forEach(function (level) {
      lines.push("## " + t("level", { number: level.dataset.number,
                                      title: literal(level.querySelector("h2").textContent.trim()) }), "");
      if (level.dataset.session) { lines.push(t("sessionOn", { when: level.dataset.session }), ""); }
      level.querySelectorAll("article.item").forEach(function (item) {
        var blocks = answered(item);
        var link = item.querySelector(".resource-link");
        lines.push("### " + literal(itemName(item)), "");
        lines.push(t(item.querySelector("input[type=checkbox]").checked ? "done" : "notDone") +
                   (blocks.length ? "" : " " + t("noAnswers")) +
                   (link ? " " + t("resource", { address: "<" + link.getAttribute("href") + ">" }) : ""), "");
        lines.push.apply(lines, blocks);
      });
    });
    var plan = document.getElementById("action-plan");
    var actions = answered(plan);
    lines.push("## " + literal(plan.querySelector("h2").textContent.trim()), "");
    if (!actions.length) { lines.push(t("noActions"), ""); }
    lines.push.apply(lines, actions);
    return lines.join("\n").replace(/\n+$/, "\n");
  }

  // --- the Word document: the same as the Markdown, with real headings, and each level's gathered actions ---

  function paragraph(style, runs) { return { style: style, runs: typeof runs === "string" ? [{ text: runs }] : runs }; }

  function answeredParagraphs(container) {
    var out = [];
    container.querySelectorAll("textarea[name]").forEach(function (field) {
      if (!field.value.trim()) { return; }
      out.push(paragraph("Normal", [{ text: labelText(field), bold: true }]));
      out.push(paragraph("Normal", typed(field)));
    });
    return out;
  }

  function wordDocument() {
    var done = collect().done.length;
    var paragraphs = [paragraph("Title", t("myAnswers", { title: pathway.title })),
      paragraph("Normal", (pathway.version ? t("version", { version: pathway.version }) + " " : "") +
        t("downloadedOn", { date: day(new Date()) }) + " " + plural("itemsDone", boxes.length, { done: done }))];
    var around = TEXT.strings.resource.split("{address}");
    document.querySelectorAll("section.level[data-level]").forEach(function (level) {
      paragraphs.push(paragraph("Heading1", t("level", { number: level.dataset.number,
                                                        title: level.querySelector("h2").textContent.trim() })));
      if (level.dataset.session) { paragraphs.push(paragraph("Normal", t("sessionOn", { when: level.dataset.session }))); }
      level.querySelectorAll("article.item").forEach(function (item) {
        var answers = answeredParagraphs(item);
        var link = item.querySelector(".resource-link");
        paragraphs.push(paragraph("Heading2", itemName(item)));
        var status = [{ text: t(item.querySelector("input[type=checkbox]").checked ? "done" : "notDone") +
                              (answers.length ? "" : " " + t("noAnswers")) }];
        if (link) {
          var address = link.getAttribute("href");
          status.push({ text: " " + around[0] }, { text: address, link: address }, { text: around.slice(1).join("") });
        }
        paragraphs.push(paragraph("Normal", status));
        paragraphs.push.apply(paragraphs, answers);
      });
    });
    var plan = document.getElementById("action-plan");
    paragraphs.push(paragraph("Heading1", plan.querySelector("h2").textContent.trim()));
    var written = 0;
    plan.querySelectorAll(".gathered").forEach(function (block) {
      var ownField = document.getElementById("action-plan-" + block.dataset.gathers);
      var own = typed(ownField) ? [paragraph("Normal", typed(ownField))] : [];
      var chosen = chosenActions(block.dataset.gathers).map(function (action) {
        return paragraph("Normal", [{ text: itemName(action.item) + ": ", bold: true }, { text: typed(action.field) }]);
      });
      if (!own.length && !chosen.length) { return; }
      written += 1;
      paragraphs.push(paragraph("Heading2", document.querySelector("#level-" + block.dataset.gathers + " h2")
        .textContent.trim()));
      paragraphs.push.apply(paragraphs, chosen.concat(own));
    });
    if (!written) { paragraphs.push(paragraph("Normal", t("noActions"))); }
    return pathwayDocument.docx({ title: t("myAnswers", { title: pathway.title }), language: document.documentElement.lang,
                                  paragraphs: paragraphs });
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

  var CHOOSE = t("choose");

  function parseBackup(name, text) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new Refusal(t("notJson", { name: name }) + " " + CHOOSE);
    }
    if (!data || data.format !== FORMAT) {
      throw new Refusal(t("notBackup", { name: name }) + " " + CHOOSE);
    }
    if (data.format_version !== FORMAT_VERSION) {
      throw new Refusal(t("newerFormat", { name: name, version: JSON.stringify(data.format_version) }));
    }
    if (!data.pathway || typeof data.pathway !== "object" || data.pathway.id !== pathway.id) {
      var other = data.pathway && typeof data.pathway.title === "string" ? data.pathway.title : t("anotherPathway");
      throw new Refusal(t("otherPathway", { name: name, other: other, title: pathway.title }));
    }
    var record;
    try {
      record = fit(checked(data));
    } catch (refusal) {
      if (!(refusal instanceof Refusal)) { throw refusal; }
      throw new Refusal(t("damaged", { name: name, reason: refusal.message }));
    }
    record.version = typeof data.pathway.version === "string" ? data.pathway.version : "";
    return record;
  }

  function counted(record) {
    return t("answersAnd", { answers: plural("answers", Object.keys(record.answers).length),
                             finished: plural("finished", record.done.length) });
  }

  function bringIn(record, message) {
    apply(record);
    if (record.left) {
      message += " " + plural("left", record.left);
    }
    if (!save()) { message += " " + NOT_KEPT; }
    say(message);
  }

  function fromFile(record, name) {
    var values = { answers: counted(record), name: name, version: record.version };
    bringIn(record, t(record.version === pathway.version ? "imported" :
                      record.version ? "importedVersion" : "importedNoVersion", values));
  }

  function readBackup(file) {
    if (file.size > MAX_IMPORT_BYTES) {
      say(t("tooLarge", { name: file.name }) + " " + CHOOSE + " " + t("nothingChanged"), true);
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      var record;
      try {
        record = parseBackup(file.name, String(reader.result));
      } catch (refusal) {
        if (!(refusal instanceof Refusal)) { throw refusal; }
        say(refusal.message + " " + t("nothingChanged"), true);
        return;
      }
      if (isEmpty(collect())) {
        fromFile(record, file.name);
      } else {
        ask(t("replaceTitle"), t("replaceText", { name: file.name }), t("replaceYes"),
            function () { fromFile(record, file.name); },
            function () { say(t("nothingImported")); });
      }
    };
    reader.onerror = function () { say(t("unreadable", { name: file.name }) + " " + t("nothingChanged"), true); };
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

  // --- an item's answers as an NMC reflective account ---

  var account = document.getElementById("account");
  var PARTS = ["nature", "learned", "changed", "code"];
  var drafts = Object.create(null);  // each item's account as the learner left it, while the page is open
  var accountOf = null;

  function part(name) { return document.getElementById("account-" + name); }
  function themes() { return Array.prototype.slice.call(account.querySelectorAll(".account-themes input")); }

  // The account the learner's answers make: the resource, then what they learned (their key insight and
  // every answer but the last, which the reflective models give to what comes next), then what they changed
  // (the last answer, their one action and how it went). They edit it before they keep it.
  function draft(item) {
    var id = item.dataset.item;
    function value(field) { return field ? typed(field) : ""; }
    function named(suffix) { return value(item.querySelector("textarea[name='" + id + "." + suffix + "']")); }
    var answers = Array.prototype.slice.call(item.querySelectorAll("textarea[name^='" + id + ".q']")).map(value);
    var last = answers.pop() || "";
    var facts = item.querySelector(".item-facts");
    return {
      nature: t("accountNature", { kind: item.dataset.kind, title: item.querySelector("h3").textContent.trim(),
                                   facts: facts ? " (" + facts.textContent.replace(/\s+/g, " ").trim() + ")" : "",
                                   pathway: pathway.title }),
      learned: [named("insight")].concat(answers).filter(Boolean).join("\n\n"),
      changed: [last, named("one-action"), named("action")].filter(Boolean).join("\n\n"),
      code: "", themes: []
    };
  }

  function openAccount(item) {
    accountOf = item;
    var held = drafts[item.dataset.item] || draft(item);
    PARTS.forEach(function (name) { part(name).value = held[name]; });
    themes().forEach(function (box) { box.checked = held.themes.indexOf(box.value) >= 0; });
    document.getElementById("account-for").textContent = t("accountFor", {
      item: itemName(item), pathway: pathway.title });
    account.showModal();
  }

  function keepAccount() {
    var held = { themes: themes().filter(function (box) { return box.checked; }).map(function (box) { return box.value; }) };
    PARTS.forEach(function (name) { held[name] = part(name).value; });
    drafts[accountOf.dataset.item] = held;
    return held;
  }

  function question(name) { return account.querySelector("label[for='account-" + name + "']").textContent.trim(); }

  // The account as its own page to print, and as a Word document: the form's headings, then the learner's words.
  function accountSections(held) {
    return PARTS.map(function (name) { return { heading: question(name), text: held[name].trim() }; });
  }

  function themeLines(held) {
    return themes().map(function (box) { return (held.themes.indexOf(box.value) >= 0 ? "☒ " : "☐ ") + box.value; });
  }

  function accountDocument(held) {
    var paragraphs = [paragraph("Title", document.getElementById("account-title").textContent.trim()),
                      paragraph("Normal", document.getElementById("account-for").textContent),
                      paragraph("Normal", [{ text: account.querySelector(".account-reminder").textContent.trim(),
                                             bold: true }])];
    accountSections(held).forEach(function (section) {
      paragraphs.push(paragraph("Heading2", section.heading), paragraph("Normal", section.text));
    });
    paragraphs.push(paragraph("Normal", [{ text: account.querySelector(".account-themes legend").textContent.trim(),
                                           bold: true }]));
    themeLines(held).forEach(function (line) { paragraphs.push(paragraph("Normal", line)); });
    return pathwayDocument.docx({ title: document.getElementById("account-title").textContent.trim() + ": " +
                                  accountOf.querySelector("h3").textContent.trim(),
                                  language: document.documentElement.lang, paragraphs: paragraphs });
  }

  function printPage(held) {
    var page = document.getElementById("account-print-page");
    page.textContent = "";
    function add(tag, text, name) {
      var element = document.createElement(tag);
      element.textContent = text;
      if (name) { element.className = name; }
      page.appendChild(element);
    }
    add("h1", document.getElementById("account-title").textContent.trim());
    add("p", document.getElementById("account-for").textContent);
    add("p", account.querySelector(".account-reminder").textContent.trim(), "account-reminder");
    accountSections(held).forEach(function (section) { add("h2", section.heading); add("p", section.text, "account-text"); });
    add("h2", account.querySelector(".account-themes legend").textContent.trim());
    themeLines(held).forEach(function (line) { add("p", line); });
  }

  document.querySelectorAll("[data-account]").forEach(function (button) {
    button.addEventListener("click", function () { openAccount(button.closest("article.item")); });
  });
  document.getElementById("account-word").addEventListener("click", function () {
    var held = keepAccount();
    download(pathway.id + "-" + accountOf.dataset.item + "-reflective-account-" + today() + ".docx", "",
             accountDocument(held));
  });
  document.getElementById("account-print").addEventListener("click", function () {
    printPage(keepAccount());
    body.classList.add("printing-account");  // until the account is closed: print shows it alone
    window.print();
  });
  document.getElementById("account-close").addEventListener("click", function () { account.close(); });
  account.addEventListener("close", function () {
    if (accountOf) { keepAccount(); }
    body.classList.remove("printing-account");
    accountOf.querySelector("[data-account]").focus();
  });

  // --- wiring ---

  texts.forEach(function (field) {
    field.addEventListener("input", function () {
      mirror(field);
      save(field);
      if (/\.one-action$/.test(field.name)) { gather(); }
    });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      save();
      var done = progress();
      var title = box.closest(".item").querySelector("h3").textContent.trim();
      say(t(box.checked ? "markedDone" : "markedNotDone", { title: title }) + " " +
          plural("itemsDone", boxes.length, { done: done }));
    });
  });
  document.getElementById("export-markdown").addEventListener("click", function () {
    download(pathway.id + "-answers-" + today() + ".md", "text/markdown;charset=utf-8", markdown());
    say(t("downloadedDocument"));
  });
  document.getElementById("export-word").addEventListener("click", function () {
    download(pathway.id + "-answers-" + today() + ".docx", "", wordDocument());
    say(t("downloadedWord"));
  });
  document.getElementById("export-json").addEventListener("click", function () {
    download(pathway.id + "-answers-" + today() + ".json", "application/json", backup());
    say(t("downloadedBackup"));
  });
  var chooser = document.getElementById("import-file");
  document.getElementById("import").addEventListener("click", function () { chooser.click(); });
  chooser.addEventListener("change", function () {
    if (chooser.files.length) { readBackup(chooser.files[0]); }
    chooser.value = "";
  });
  document.getElementById("clear").addEventListener("click", function () {
    ask(t("clearTitle"), t("clearText"), t("clearYes"),
        function () {
          apply(blank());
          pathwayKeys().forEach(function (name) { window.localStorage.removeItem(name); });
          offer.hidden = true;
          save();
          say(t("cleared"));
        },
        function () { say(t("nothingCleared")); });
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
    saved.textContent = t("otherTab", { time: clock(new Date()) });
  });
  // Saved as typed, and once more as the page is hidden or left, for a field that changed without an
  // input event (a browser's autofill, say). Only a page that differs from what it last saved or
  // showed writes, so a tab left open never writes its answers over another tab's newer ones.
  function saveIfChanged() {
    if (!storageFailed && snapshot(collect()) !== held) { save(); }
  }
  window.addEventListener("pagehide", function () {
    saveIfChanged();
    if (platform) { platform.leave(forPlatform(collect()), PLATFORM_WORDS); }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      saveIfChanged();
      if (platform) { platform.flush(); }
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (storageFailed && !isEmpty(collect())) { event.preventDefault(); event.returnValue = ""; }
  });

  // --- start ---

  document.documentElement.classList.add("js");
  document.querySelectorAll(".needs-script, [data-progress], [data-progress-of]").forEach(function (element) {
    element.hidden = false;
  });
  if (platform) {  // the package's page says where answers go once it knows it is inside a platform
    document.getElementById("browser-about").hidden = true;
    document.getElementById("platform-about").hidden = false;
  }
  if (!storageWorks()) { notKept(); }
  var record = stored(key);
  if (record === undefined) {
    // Kept aside rather than written over: someone may yet be able to read it.
    try {
      window.localStorage.setItem(key + ":unreadable", window.localStorage.getItem(key));
      window.localStorage.removeItem(key);
    } catch (error) { /* the alert below says enough */ }
    alarm.textContent = t("keptAside");
    alarm.hidden = false;
    record = null;
  }
  var onPlatform = platform ? platform.stored() : null;  // decoded once: it may be 4,096 characters of lz-string
  var fromPlatform = onPlatform ? newer(record, onPlatform) : { record: record, from: "" };
  if (fromPlatform.from) {
    record = fromPlatform.record;
    apply(record);
    save();  // into this browser too, and back to the platform with what this browser added
    saved.textContent = t("fromPlatform") + (fromPlatform.missing ? " " + plural("elsewhere", fromPlatform.missing) : "");
  } else if (record) {
    apply(record);
    newest = record.saved;
    held = snapshot(record);
    saved.textContent = record.saved ?
      t("hereSince", { time: clock(new Date(record.saved)), date: day(new Date(record.saved)) }) : t("here");
  } else {
    texts.forEach(mirror);
    progress();
    held = snapshot(blank());  // a field the browser filled in itself is then saved when the page is left
    var earlier = earlierVersion();
    if (earlier) {
      var version = earlier.version || t("noVersion");
      offer.querySelector(".earlier-text").textContent = earlier.record.saved ?
        t("earlierSaved", { answers: counted(earlier.record), version: version, date: day(new Date(earlier.record.saved)) }) :
        t("earlier", { answers: counted(earlier.record), version: version });
      offer.hidden = false;
      // Offered only while this version is empty (typing hides it), so nothing is written over.
      offer.querySelector("button").addEventListener("click", function () {
        var kept = fit(earlier.record);
        bringIn(kept, t("broughtOver", { answers: counted(kept), version: version }));
        if (!kept.left && !storageFailed) { window.localStorage.removeItem(earlier.key); }  // all of it is here now
        document.getElementById("answers-title").focus();  // the button has gone
      });
    }
  }
}());
