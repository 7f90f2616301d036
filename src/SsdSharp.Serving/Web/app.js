// The detection page: sends an image to POST /v1/detect, draws the answer over it (SVG, in the image's
// pixels), and filters by score and class in the browser, without asking again (the mirror option, fused by the service, asks again).
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const state = { model: null, answer: null, hidden: new Set(), imageUrl: null, file: null };

function setStatus(text, kind) {
  document.body.dataset.state = kind;
  $("status").textContent = text;
}

async function loadModel() {
  const response = await fetch("/v1/model");
  state.model = await response.json();
  const m = state.model;
  $("model").textContent = `${m.name}: ${m.classes.length} classes, ${m.backend}`;
  const threshold = $("threshold");
  threshold.min = String(m.defaults.conf);
  threshold.value = String(Math.max(m.defaults.conf, Number(threshold.value)));
  $("tta").checked = m.defaults.tta;
  showThreshold();
}

function classOf(id) {
  return state.model.classes.find((c) => c.id === id) ?? { id, label: `class ${id}`, color: "#888888", text_color: "#000000" };
}

async function detect(file) {
  if (!file) return;
  if (!state.model) await loadModel();
  state.file = file;
  const tta = $("tta").checked;
  setStatus(`detecting in ${file.name}${tta ? " and its mirror image" : ""}…`, "loading");
  const form = new FormData();
  form.append("image", file, file.name);
  let response;
  try {
    response = await fetch(`/v1/detect?tta=${tta}`, { method: "POST", body: form });
  } catch (error) {
    setStatus(`the service cannot be reached: ${error.message}`, "error");
    return;
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    setStatus(`${response.status} ${body?.title ?? response.statusText}: ${body?.detail ?? ""}`, "error");
    return;
  }
  state.answer = body;
  if (state.imageUrl) URL.revokeObjectURL(state.imageUrl);
  state.imageUrl = URL.createObjectURL(file);
  const image = $("image");
  await new Promise((resolve) => {
    image.onload = resolve;
    image.onerror = resolve;
    image.src = state.imageUrl;
  });
  $("boxes").setAttribute("viewBox", `0 0 ${body.width} ${body.height}`);
  $("result").hidden = false;
  buildClassToggles();
  render();
  setStatus(`${body.image}: ${body.width}×${body.height}, ${body.detections.length} detections`, "done");
}

function buildClassToggles() {
  const fieldset = $("classes");
  fieldset.replaceChildren(Object.assign(document.createElement("legend"), { textContent: "Classes" }));
  for (const c of state.model.classes) {
    const label = document.createElement("label");
    const box = Object.assign(document.createElement("input"), { type: "checkbox", checked: !state.hidden.has(c.id) });
    box.dataset.classId = String(c.id);
    box.addEventListener("change", () => {
      if (box.checked) state.hidden.delete(c.id); else state.hidden.add(c.id);
      render();
    });
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = c.color;
    const count = document.createElement("span");
    count.className = "count";
    count.dataset.classId = String(c.id);
    label.append(box, swatch, document.createTextNode(` ${c.label} `), count);
    fieldset.append(label);
  }
}

function visibleDetections() {
  const threshold = Number($("threshold").value);
  return state.answer.detections
    .map((d, index) => ({ ...d, index }))
    .filter((d) => d.score >= threshold && !state.hidden.has(d.class_id));
}

function render() {
  if (!state.answer) return;
  const shown = visibleDetections();
  drawBoxes(shown);
  fillTable(shown);
  for (const count of document.querySelectorAll("#classes .count")) {
    const id = Number(count.dataset.classId);
    count.textContent = `(${shown.filter((d) => d.class_id === id).length})`;
  }
  $("summary").textContent = `${shown.length} of ${state.answer.detections.length} detections shown`;
}

function drawBoxes(shown) {
  const svg = $("boxes");
  const { width } = state.answer;
  // Captions keep about 13 screen pixels whatever the image's size on the screen.
  const scale = width / Math.max(1, $("image").clientWidth);
  const fontSize = 13 * scale, pad = 3 * scale;
  const groups = [];
  // Lowest scores first, so that the best boxes and captions are drawn on top.
  for (const d of [...shown].reverse()) {
    const c = classOf(d.class_id);
    const [x1, y1, x2, y2] = d.box;
    const g = document.createElementNS(SVG, "g");
    g.setAttribute("class", "detection");
    g.dataset.index = String(d.index);
    g.dataset.classId = String(d.class_id);
    g.dataset.score = String(d.score);
    const rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("class", "box");
    rect.setAttribute("x", String(x1));
    rect.setAttribute("y", String(y1));
    rect.setAttribute("width", String(x2 - x1));
    rect.setAttribute("height", String(y2 - y1));
    rect.setAttribute("stroke", c.color);
    rect.setAttribute("vector-effect", "non-scaling-stroke");
    const caption = `${c.label} ${d.score.toFixed(2)}`;
    // A first guess of the caption's width; corrected from the laid-out text once it is in the page.
    const captionWidth = caption.length * fontSize * 0.6 + 2 * pad;
    const captionHeight = fontSize + 2 * pad;
    const background = document.createElementNS(SVG, "rect");
    background.setAttribute("class", "caption");
    background.setAttribute("height", String(captionHeight));
    background.setAttribute("fill", c.color);
    const text = document.createElementNS(SVG, "text");
    text.setAttribute("font-size", String(fontSize));
    text.setAttribute("fill", c.text_color);
    text.textContent = caption;
    placeCaption(background, text, d.box, captionWidth, captionHeight, pad, width);
    g.append(rect, background, text);
    groups.push(g);
  }
  svg.replaceChildren(...groups);
  for (const g of groups) {
    const text = g.querySelector("text");
    const textWidth = text.getComputedTextLength();
    if (textWidth > 0) placeCaption(g.querySelector("rect.caption"), text, state.answer.detections[Number(g.dataset.index)].box,
      textWidth + 2 * pad, fontSize + 2 * pad, pad, width);
  }
}

// Above the box when there is room, else inside its top edge; never past the image's right edge.
function placeCaption(background, text, box, captionWidth, captionHeight, pad, imageWidth) {
  const [x1, y1] = box;
  const x = Math.max(0, Math.min(x1, imageWidth - captionWidth));
  const y = y1 - captionHeight >= 0 ? y1 - captionHeight : y1;
  background.setAttribute("x", String(x));
  background.setAttribute("y", String(y));
  background.setAttribute("width", String(captionWidth));
  text.setAttribute("x", String(x + pad));
  text.setAttribute("y", String(y + pad));
}

function fillTable(shown) {
  const rows = shown.map((d) => {
    const c = classOf(d.class_id);
    const tr = document.createElement("tr");
    tr.dataset.index = String(d.index);
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = c.color;
    const cells = [String(d.index + 1), null, d.score.toFixed(3), d.box.map((v) => v.toFixed(1)).join(", ")];
    cells.forEach((value, i) => {
      const td = document.createElement("td");
      if (i === 1) td.append(swatch, document.createTextNode(` ${d.label}`));
      else td.textContent = value;
      if (i === 0 || i === 2) td.className = "num";
      if (i === 3) td.className = "box";
      tr.append(td);
    });
    return tr;
  });
  document.querySelector("#table tbody").replaceChildren(...rows);
}

function showThreshold() {
  $("threshold-value").textContent = Number($("threshold").value).toFixed(2);
}

function download() {
  if (!state.answer) return;
  const blob = new Blob([JSON.stringify(state.answer, null, 2) + "\n"], { type: "application/json" });
  const link = Object.assign(document.createElement("a"), {
    href: URL.createObjectURL(blob),
    download: `${state.answer.image.replace(/\.[^.]*$/, "")}.detections.json`,
  });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

function init() {
  const drop = $("drop");
  $("file").addEventListener("change", (e) => detect(e.target.files[0]));
  drop.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("file").click(); }
  });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    detect(e.dataTransfer.files[0]);
  });
  $("threshold").addEventListener("input", () => { showThreshold(); render(); });
  // The views are fused by the service: the image shown is asked about again.
  $("tta").addEventListener("change", () => detect(state.file));
  $("download").addEventListener("click", download);
  new ResizeObserver(() => render()).observe($("image"));
  loadModel().catch((error) => setStatus(`the model cannot be described: ${error.message}`, "error"));
}

init();
