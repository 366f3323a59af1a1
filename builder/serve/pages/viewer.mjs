// pathway serve's print view: every page of a PDF, drawn by PDF.js, with its text laid over it to read,
// select and search. The page shown is kept in the address (#page=7), so a reload after a rebuild
// opens the new PDF where the old one was.
import * as pdfjs from "/_serve/pdf.min.mjs";

pdfjs.GlobalWorkerOptions.workerSrc = "/_serve/pdf.worker.min.mjs";

const body = document.body;
const holder = document.getElementById("serve-pages");
const status = document.getElementById("serve-page");
const shown = /^#page=(\d+)$/.exec(location.hash);

let pdf;
try {
  pdf = await pdfjs.getDocument({ url: body.dataset.pdf, isEvalSupported: false }).promise;
} catch (error) {
  status.textContent = `Cannot open ${body.dataset.pdf.slice(1)}: ${error.message}`;
  throw error;
}
const count = pdf.numPages;
const wanted = Math.min(Math.max(Number(shown ? shown[1] : 1), 1), count);
const first = await pdf.getPage(1);
const width = Math.min(holder.clientWidth - 32, 1000);
const scale = width / first.getViewport({ scale: 1 }).width;
const pages = [];

for (let number = 1; number <= count; number += 1) {
  const page = document.createElement("div");
  page.className = "serve-page";
  page.id = `page-${number}`;
  page.dataset.page = String(number);
  page.setAttribute("role", "group");
  page.setAttribute("aria-label", `Page ${number} of ${count}`);
  const text = document.createElement("div");
  text.className = "textLayer";
  page.append(text);
  const size = first.getViewport({ scale });  // each page takes its own size once drawn
  page.style.width = `${size.width}px`;
  page.style.height = `${size.height}px`;
  holder.append(page);
  pages.push(page);
}

// Each page's text, every page: find in page and a screen reader reach all of it, drawn or not.
async function write(page) {
  if (page.dataset.written) return;
  page.dataset.written = "writing";
  const source = await pdf.getPage(Number(page.dataset.page));
  const viewport = source.getViewport({ scale });
  page.style.width = `${viewport.width}px`;
  page.style.height = `${viewport.height}px`;
  page.style.setProperty("--total-scale-factor", String(scale));
  page.style.setProperty("--scale-round-x", "1px");
  page.style.setProperty("--scale-round-y", "1px");
  const text = page.querySelector(".textLayer");
  await new pdfjs.TextLayer({ textContentSource: source.streamTextContent(), container: text, viewport }).render();
  page.dataset.written = "yes";
}

// Its picture, only near the screen: a canvas for each of a thousand pages would not fit in memory.
async function draw(page) {
  if (page.dataset.drawn) return;
  page.dataset.drawn = "drawing";
  await write(page);
  const source = await pdf.getPage(Number(page.dataset.page));
  const viewport = source.getViewport({ scale });
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.setAttribute("aria-hidden", "true");
  page.prepend(canvas);
  await source.render({
    canvas, canvasContext: canvas.getContext("2d"), viewport,
    transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0],
  }).promise;
  page.dataset.drawn = "yes";
}

const near = new IntersectionObserver((entries) => {
  for (const entry of entries) if (entry.isIntersecting) draw(entry.target);
}, { rootMargin: "100% 0px" });
pages.forEach((page) => near.observe(page));

let current = 0;
function track() {
  const top = holder.getBoundingClientRect().top;
  const middle = Math.max(top, 0) + window.innerHeight / 3;
  const found = pages.find((page) => page.getBoundingClientRect().bottom > middle) || pages[count - 1];
  const number = Number(found.dataset.page);
  if (number === current) return;
  current = number;
  status.textContent = `Page ${number} of ${count}`;
  body.dataset.page = String(number);
  history.replaceState(null, "", `#page=${number}`);
}

await draw(pages[wanted - 1]);
pages[wanted - 1].scrollIntoView({ block: "start" });
track();
window.addEventListener("scroll", track, { passive: true });
body.dataset.ready = "yes";
for (const page of pages) await write(page);
