// pathway serve: reload this page when the step that made it has built again, and show on it what is
// wrong with the last save. The server adds this script to the pages it serves, never to the files.
(() => {
  "use strict";
  const me = document.currentScript;
  const steps = me.dataset.steps.split(" ");
  const builds = me.dataset.builds.split(" ");
  const status = document.getElementById("serve-status");
  const usual = status ? status.textContent : "";
  let box = document.getElementById("serve-problems");
  if (!box) {  // a built page: the box goes on top of it, styled by the serve's own sheet
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = "/_serve/serve.css";
    document.head.append(sheet);
    box = document.createElement("div");
    box.id = "serve-problems";
    box.className = "serve-overlay";
    document.body.prepend(box);
  }
  // The tab's own name, kept through its reloads, so that the server knows this page has reloaded.
  let page = "";
  try {
    page = sessionStorage.getItem("pathway-serve-page") || String(Math.random()).slice(2);
    sessionStorage.setItem("pathway-serve-page", page);
  } catch (error) { /* no storage: the server waits a moment for the page instead */ }
  let said = "";
  let hidden = false;  // the reader hid the box: until the next save

  function show(lines, heading, after) {
    const now = JSON.stringify([lines, heading]);
    if (now === said) return;
    said = now;
    box.replaceChildren();
    if (!lines.length) return;
    const panel = document.createElement("div");
    panel.className = "serve-problems";
    panel.setAttribute("role", "alert");
    const title = document.createElement("h2");
    title.textContent = heading;
    const text = document.createElement("pre");
    text.textContent = lines.join("\n");
    const note = document.createElement("p");
    note.textContent = after;
    panel.append(title, text, note);
    if (box.classList.contains("serve-overlay")) {  // over a built page, which it may hide part of
      const hide = document.createElement("button");
      hide.type = "button";
      hide.textContent = "Hide until the next save";
      hide.addEventListener("click", () => {
        hidden = true;
        box.replaceChildren();
      });
      panel.append(hide);
    }
    box.append(panel);
  }

  let events = null;
  function listen() {  // only while the page is seen: a browser opens a few streams to a server at most
    const asked = steps.map((step, index) => `${step}=${builds[index]}`).join("&");
    events = new EventSource(`/_serve/events?${asked}&page=${page}`);
    events.addEventListener("message", (event) => {
      const state = JSON.parse(event.data);
      if (steps.some((step, index) => String(state.builds[step]) !== builds[index])) {
        events.close();
        location.reload();
        return;
      }
      if (status) status.textContent = state.busy.includes("pdf") ? "Laying out the PDFs…" : usual;
      if (state.busy.length) hidden = false;  // a save: what it finds is shown again
      if (hidden) return;
      show(state.problems, "The last save has a problem",
           "This page shows the last good build. Save a fix, and it reloads by itself.");
    });
    events.addEventListener("error", () => {
      if (events.readyState !== EventSource.OPEN) {
        show(["pathway serve has stopped, or cannot be reached."], "Not updating",
             "This page will not reload by itself until it runs again.");
        said = "";  // told again once it is back
      }
    });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && events) {
      events.close();
      events = null;
    } else if (!document.hidden && !events) {
      listen();  // its first message says whether there has been a build meanwhile
    }
  });
  if (!document.hidden) listen();
})();
