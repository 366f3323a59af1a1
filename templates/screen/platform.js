// Inside a learning platform (SCORM 1.2): the workbook finds the platform's API in the frames
// around it, and keeps the learner's answers and ticks in cmi.suspend_data as well as in the
// browser. SCORM 1.2 gives suspend_data 4,096 characters, of ASCII: the record is compressed
// (lz-string, shipped in this page), and when it still does not fit, the ticks and as many whole
// answers as fit go to the platform, and the rest stay only in this browser, which the learner
// is told. An answer is never cut. With no API around it, the page is the offline workbook.
var pathwayPlatform = (function () {
  "use strict";

  var LIMIT = 4096;
  var MARK = "pathway-builder:1:";  // what a record of this workbook's starts with
  var COMMIT_AFTER = 2000;  // ms: typing commits at most this often
  var api = null, started = 0, finished = false, timer = null, pending = null, left = [];

  // The standard search (ADL's): up the frames above this page, then those of the window that opened it.
  function search(start) {
    var here = start;
    for (var tries = 0; here && tries < 8; tries += 1) {
      try {
        if (here.API && typeof here.API.LMSInitialize === "function") { return here.API; }
      } catch (error) { return null; }  // a frame of another site: nothing above it is reachable
      if (!here.parent || here.parent === here) { break; }
      here = here.parent;
    }
    return null;
  }

  function call(name, a, b) {
    try {
      return String(b === undefined ? api[name](a) : api[name](a, b));
    } catch (error) {
      return "false";
    }
  }
  function get(element) { return call("LMSGetValue", element); }
  function set(element, value) { return call("LMSSetValue", element, value) === "true"; }

  // --- the record, as it goes to the platform ---

  function pack(record, names, out) {
    var answers = {};
    names.forEach(function (name) { answers[name] = record.answers[name]; });
    return MARK + LZString.compressToBase64(JSON.stringify(
      { saved: record.saved || "", done: record.done, answers: answers, elsewhere: out }));
  }

  // The record as suspend_data, and the answers that do not fit it: whole answers, in page order.
  function encode(record) {
    var names = Object.keys(record.answers);
    var whole = pack(record, names, []);
    if (whole.length <= LIMIT) { return { data: whole, out: [] }; }
    var kept = [];
    names.forEach(function (name) {
      var trial = kept.concat([name]);
      var out = names.filter(function (other) { return trial.indexOf(other) < 0; });
      if (pack(record, trial, out).length <= LIMIT) { kept = trial; }
    });
    var out = names.filter(function (name) { return kept.indexOf(name) < 0; });
    var data = pack(record, kept, out);
    while (data.length > LIMIT && kept.length) {
      out.unshift(kept.pop());
      data = pack(record, kept, out);
    }
    // Even the ticks do not fit (a pathway of thousands of items): the platform keeps the status alone.
    return data.length <= LIMIT ? { data: data, out: out } : { data: "", out: names };
  }

  function decode(data) {
    if (data.indexOf(MARK) !== 0) { return null; }  // empty, or another package's: nothing of ours
    try {
      var record = JSON.parse(LZString.decompressFromBase64(data.slice(MARK.length)) || "null");
      if (!record || typeof record.answers !== "object" || !Array.isArray(record.done)) { return null; }
      record.elsewhere = Array.isArray(record.elsewhere) ? record.elsewhere : [];
      return record;
    } catch (error) {
      return null;
    }
  }

  // --- what the learner is told ---

  function tell(words) {
    var note = document.getElementById("platform-left");
    var list = document.getElementById("platform-left-list");
    left = words.out;
    note.hidden = !left.length;
    list.textContent = "";
    // One line for each item (or the action plan) with answers left out, linked to the first of them.
    var groups = [];
    left.forEach(function (name) {
      var field = document.querySelector("main textarea[name='" + name.replace(/['\\]/g, "\\$&") + "']");
      if (!field) { return; }
      var place = words.place(field);
      var last = groups[groups.length - 1];
      if (last && last.key === place.key) { last.count += 1; } else { groups.push({ key: place.key, label: place.label, field: field, count: 1 }); }
    });
    groups.forEach(function (group) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + group.field.id;
      link.textContent = group.label;
      entry.append(link, " (" + words.answers(group.count) + ")");
      list.appendChild(entry);
    });
    document.getElementById("platform-left-count").textContent = words.count(left.length);
  }

  // --- the session ---

  function sessionTime() {
    var seconds = Math.max(0, Math.round((Date.now() - started) / 1000));
    var hours = Math.min(9999, Math.floor(seconds / 3600));
    function two(number) { return (number < 10 ? "0" : "") + number; }
    return (hours < 10 ? "0" + hours : String(hours)) + ":" + two(Math.floor(seconds / 60) % 60) + ":" +
      two(seconds % 60);
  }

  function write(record, words) {
    var encoded = encode(record);
    set("cmi.suspend_data", encoded.data);
    if (get("cmi.core.lesson_status") !== "completed") {
      set("cmi.core.lesson_status", record.allDone ? "completed" : "incomplete");
    }
    tell({ out: encoded.out, place: words.place, count: words.count, answers: words.answers });
    return encoded;
  }

  function commit() {
    if (!pending || finished) { return; }
    var job = pending;
    pending = null;
    write(job.record, job.words);
    if (call("LMSCommit", "") === "true") { job.words.committed(); }
  }

  return {
    // Connects to the platform, if there is one: true when the page runs inside one.
    start: function () {
      api = search(window) || (window.opener ? search(window.opener) : null);
      if (!api || call("LMSInitialize", "") !== "true") { api = null; return false; }
      started = Date.now();
      var status = get("cmi.core.lesson_status");
      if (status === "not attempted" || status === "" || status === "false") {
        set("cmi.core.lesson_status", "incomplete");
      }
      set("cmi.core.exit", "suspend");  // the next launch resumes, with suspend_data, not starts again
      return true;
    },
    // The record the platform holds: { saved, done, answers, elsewhere: names it lacks }, or null.
    stored: function () { return api ? decode(get("cmi.suspend_data")) : null; },
    // The learner's record changed: to the platform within COMMIT_AFTER ms.
    keep: function (record, words) {
      if (!api || finished) { return; }
      pending = { record: record, words: words };
      if (!timer) { timer = window.setTimeout(function () { timer = null; commit(); }, COMMIT_AFTER); }
    },
    // The page is going: what is pending goes now, with the session's time, and the session ends.
    leave: function (record, words) {
      if (!api || finished) { return; }
      if (timer) { window.clearTimeout(timer); timer = null; }
      pending = { record: record, words: words };
      commit();
      set("cmi.core.session_time", sessionTime());
      call("LMSCommit", "");
      call("LMSFinish", "");
      finished = true;
    },
    // The page is hidden, and may not come back: what is pending goes now.
    flush: function () {
      if (timer) { window.clearTimeout(timer); timer = null; }
      if (pending) { commit(); }
    }
  };
}());
