// The workbook's memory: answers saved in this browser as they are typed, progress, export, import.
// Everything stays on this device; the page makes no request.
(function () {
  "use strict";

  var FORMAT = "pathway-builder-answers";
  var MAX_IMPORT_BYTES = 5 * 1024 * 1024;
  var body = document.body;
  var pathway = { id: body.dataset.pathway, version: body.dataset.version, title: body.dataset.title };
  // One key per pathway and version: workbooks opened from files share one origin, so the key
  // is what keeps two pathways' answers apart.
  var key = "pathway-builder:" + pathway.id + ":" + pathway.version;
  var lang = document.documentElement.lang || "en-GB";

  var texts = Array.prototype.slice.call(document.querySelectorAll("main textarea[name]"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("main input[type=checkbox][name$='.done']"));
  var status = document.getElementById("status");
  var saved = document.getElementById("saved");
  var storageWorks = true;

  function itemOf(box) { return box.name.slice(0, -".done".length); }

  // --- the record: { answers: {field: text}, done: [item id, ...] } ---

  function collect() {
    var answers = {};
    texts.forEach(function (field) { if (field.value.trim()) { answers[field.name] = field.value; } });
    var done = boxes.filter(function (box) { return box.checked; }).map(itemOf);
    return { answers: answers, done: done };
  }

  function apply(record) {
    texts.forEach(function (field) {
      field.value = record.answers[field.name] || "";
      mirror(field);
    });
    boxes.forEach(function (box) { box.checked = record.done.indexOf(itemOf(box)) >= 0; });
    progress();
  }

  function isEmpty(record) {
    return Object.keys(record.answers).length === 0 && record.done.length === 0;
  }

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(key) || "null");
      return stored && checked(stored);
    } catch (error) {
      return null;
    }
  }

  function save() {
    var record = collect();
    try {
      if (isEmpty(record)) {
        window.localStorage.removeItem(key);
      } else {
        record.saved = new Date().toISOString();
        window.localStorage.setItem(key, JSON.stringify(record));
      }
      storageWorks = true;
      saved.textContent = isEmpty(record) ? "Nothing saved yet." :
        "Saved in this browser at " + new Date().toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" }) + ".";
    } catch (error) {
      if (storageWorks) {
        say("This browser is not keeping your answers (its storage is turned off or full). " +
            "Download them before you close the page.", true);
      }
      storageWorks = false;
      saved.textContent = "Not saved: this browser is not keeping your answers.";
    }
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

  function plural(count, noun) { return count + " " + noun + (count === 1 ? "" : "s"); }

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
    document.querySelectorAll("section.level[data-level]").forEach(function (level) {
      var levelBoxes = level.querySelectorAll("input[type=checkbox][name$='.done']");
      var done = 0;
      levelBoxes.forEach(function (box) {
        var finished = box.checked;
        done += finished ? 1 : 0;
        var item = box.closest(".item");
        item.classList.toggle("is-done", finished);
        var entry = document.querySelector(".contents li[data-item='" + item.dataset.item + "']");
        if (entry) {
          entry.classList.toggle("is-done", finished);
          entry.querySelector(".contents-done").hidden = !finished;
        }
      });
      all += done;
      showProgress(level.dataset.level, done, levelBoxes.length);
    });
    showProgress("all", all, boxes.length);
    return all;
  }

  // --- export ---

  function today() { return new Date().toISOString().slice(0, 10); }

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
    var label = document.querySelector("label[for='" + field.id + "']");
    var copy = label.cloneNode(true);
    copy.querySelectorAll(".visually-hidden").forEach(function (hidden) { hidden.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function quote(text) {
    // Kept as the learner wrote it, line for line, but never read as a Markdown heading or rule.
    return text.replace(/\r\n?/g, "\n").trim().split("\n").map(function (line) {
      return /^\s*(#|---|===|```)/.test(line) ? "\\" + line : line;
    }).join("\n");
  }

  function answerBlock(field) {
    var text = field.value.trim() ? quote(field.value) : "_No answer yet._";
    return "**" + labelText(field) + "**\n\n" + text + "\n";
  }

  function markdown() {
    var record = collect();
    var lines = ["# " + pathway.title + ": my answers", ""];
    lines.push((pathway.version ? "Version " + pathway.version + ". " : "") + "Downloaded on " +
               new Date().toLocaleDateString(lang, { weekday: "long", day: "numeric", month: "long", year: "numeric" }) +
               ". " + plural(record.done.length, "item") + " of " + boxes.length + " done.", "");
    document.querySelectorAll("section.level[data-level]").forEach(function (level) {
      lines.push("## Level " + level.dataset.number + ": " + level.querySelector("h2").textContent.trim(), "");
      level.querySelectorAll("article.item").forEach(function (item) {
        lines.push("### " + item.dataset.number + " " + item.querySelector("h3").textContent.trim(), "");
        lines.push(item.querySelector("input[type=checkbox]").checked ? "Done." : "Not done yet.", "");
        item.querySelectorAll("textarea[name]").forEach(function (field) { lines.push(answerBlock(field)); });
      });
    });
    var plan = document.getElementById("action-plan");
    lines.push("## " + plan.querySelector("h2").textContent.trim(), "");
    plan.querySelectorAll("textarea[name]").forEach(function (field) { lines.push(answerBlock(field)); });
    return lines.join("\n");
  }

  function exported() {
    var record = collect();
    return JSON.stringify({
      format: FORMAT, format_version: 1,
      pathway: { id: pathway.id, version: pathway.version, title: pathway.title },
      exported: new Date().toISOString(),
      answers: record.answers, done: record.done
    }, null, 2) + "\n";
  }

  // --- import ---

  function Refusal(message) { this.message = message; }

  // A record that holds only strings where strings belong; null (or a Refusal thrown) otherwise.
  function checked(data) {
    var fail = function (why) { throw new Refusal(why); };
    if (!data || typeof data !== "object" || Array.isArray(data)) { fail("it holds no answers"); }
    var answers = data.answers, done = data.done;
    if (!answers || typeof answers !== "object" || Array.isArray(answers)) { fail("its answers are missing"); }
    Object.keys(answers).forEach(function (name) {
      if (typeof answers[name] !== "string") { fail("the answer to " + name + " is not text"); }
    });
    if (!Array.isArray(done) || done.some(function (id) { return typeof id !== "string"; })) {
      fail("its list of finished items is damaged");
    }
    return { answers: answers, done: done };
  }

  function parseImport(name, text) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new Refusal("“" + name + "” is not an answers file: it is not JSON. Choose the file that " +
                        "“Download answers (JSON, to import)” saved.");
    }
    if (!data || data.format !== FORMAT) {
      throw new Refusal("“" + name + "” is not an answers file from a pathway workbook. Choose the file " +
                        "that “Download answers (JSON, to import)” saved.");
    }
    if (!data.pathway || data.pathway.id !== pathway.id) {
      var other = data.pathway && typeof data.pathway.title === "string" ? data.pathway.title : "another pathway";
      throw new Refusal("“" + name + "” holds answers for “" + other + "”, not for “" + pathway.title +
                        "”. Open that pathway’s workbook to import it.");
    }
    var record;
    try {
      record = checked(data);
    } catch (refusal) {
      if (!(refusal instanceof Refusal)) { throw refusal; }
      throw new Refusal("“" + name + "” is damaged: " + refusal.message + ".");
    }
    // Keep only what this workbook has a place for; say how much was left out.
    var fields = {};
    texts.forEach(function (field) { fields[field.name] = true; });
    var items = boxes.map(itemOf);
    var kept = { answers: {}, done: [] };
    var left = 0;
    Object.keys(record.answers).forEach(function (field) {
      if (fields[field]) { kept.answers[field] = record.answers[field]; } else { left += 1; }
    });
    record.done.forEach(function (id) {
      if (items.indexOf(id) >= 0) { kept.done.push(id); } else { left += 1; }
    });
    kept.version = typeof data.pathway.version === "string" ? data.pathway.version : "";
    kept.left = left;
    return kept;
  }

  function imported(name, record) {
    apply(record);
    save();
    var message = "Imported " + plural(Object.keys(record.answers).length, "answer") + " and " +
                  plural(record.done.length, "finished item") + " from “" + name + "”";
    if (record.version !== pathway.version) {
      message += ", which was saved from version " + (record.version || "(none)") + " of this pathway";
    }
    message += ".";
    if (record.left) {
      message += " " + plural(record.left, "answer") + " for items this workbook does not have " +
                 (record.left === 1 ? "was" : "were") + " left out.";
    }
    say(message);
  }

  function readImport(file) {
    if (file.size > MAX_IMPORT_BYTES) {
      say("“" + file.name + "” is too large to be an answers file. Nothing was changed.", true);
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      var record;
      try {
        record = parseImport(file.name, String(reader.result));
      } catch (refusal) {
        if (!(refusal instanceof Refusal)) { throw refusal; }
        say(refusal.message + " Nothing was changed.", true);
        return;
      }
      if (isEmpty(collect())) {
        imported(file.name, record);
      } else {
        ask("Replace your answers?",
                "The answers in “" + file.name + "” will replace every answer and tick in this workbook.",
                "Replace my answers",
                function () { imported(file.name, record); },
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
    dialog.showModal();
  }

  document.getElementById("confirm-yes").addEventListener("click", function () { dialog.close("yes"); });
  document.getElementById("confirm-no").addEventListener("click", function () { dialog.close("no"); });
  dialog.addEventListener("close", function () {
    var chosen = dialog.returnValue === "yes" ? onYes : onNo;
    dialog.returnValue = "";
    onYes = onNo = null;
    if (chosen) { chosen(); }
  });

  // --- wiring ---

  texts.forEach(function (field) {
    field.addEventListener("input", function () { mirror(field); save(); });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      save();
      var done = progress();
      var title = box.closest(".item").querySelector("h3").textContent.trim();
      say((box.checked ? "Marked “" + title + "” as done. " : "Marked “" + title + "” as not done. ") +
          done + " of " + plural(boxes.length, "item") + " done.");
    });
  });
  document.getElementById("export-markdown").addEventListener("click", function () {
    download(pathway.id + "-answers-" + today() + ".md", "text/markdown;charset=utf-8", markdown());
    say("Your answers were downloaded as a Markdown file.");
  });
  document.getElementById("export-json").addEventListener("click", function () {
    download(pathway.id + "-answers-" + today() + ".json", "application/json", exported());
    say("Your answers were downloaded as a JSON file. Import it on another device to carry on there.");
  });
  var chooser = document.getElementById("import-file");
  document.getElementById("import").addEventListener("click", function () { chooser.click(); });
  chooser.addEventListener("change", function () {
    if (chooser.files.length) { readImport(chooser.files[0]); }
    chooser.value = "";
  });
  document.getElementById("clear").addEventListener("click", function () {
    ask("Clear all answers?",
            "This deletes every answer and tick in this workbook from this browser. It cannot be " +
            "undone: download your answers first if you may want them again.",
            "Clear all answers",
            function () {
              apply({ answers: {}, done: [] });
              save();
              say("All answers were cleared.");
            },
            function () { say("Nothing was cleared."); });
  });
  // Another tab of the same workbook saved: show its answers here too.
  window.addEventListener("storage", function (event) {
    if (event.key === key) { apply(load() || { answers: {}, done: [] }); }
  });

  document.documentElement.classList.add("js");
  document.querySelectorAll(".needs-script, [data-progress], [data-progress-of]").forEach(function (element) {
    element.hidden = false;
  });
  var stored = load();
  if (stored) {
    apply(stored);
    saved.textContent = "Your answers from earlier are here: they are saved in this browser.";
  } else {
    texts.forEach(mirror);
    progress();
  }
}());
