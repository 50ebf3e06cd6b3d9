// convlens playground: plain JavaScript and canvas, no build step, no external request.
// The server does every computation through convlens's public API; this file draws.
"use strict";

const $ = (id) => document.getElementById(id);
const PG = (window.playground = { renders: 0, roundTrips: [], output: null, input: null });

// ---------------------------------------------------------------- small helpers

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const r = await fetch(path, opts);
  if (!r.ok) {
    let msg = `${r.status} ${r.statusText}`;
    try { msg = (await r.json()).error || msg; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return r;
}

async function raw(r) {
  const shape = r.headers.get("X-Shape").split(",").map(Number);
  return { data: new Float32Array(await r.arrayBuffer()), shape, headers: r.headers };
}

function fmt(v, digits = 4) {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits + 1)));
}

function showError(el, msg) {
  el.hidden = !msg;
  el.textContent = msg || "";
}

// RdBu_r: blue (negative) through white (zero) to red (positive), as the CLI's pictures.
const RDBU = ["#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7",
  "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"].map((h) =>
  [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
const LUT = new Uint8ClampedArray(256 * 3);
for (let i = 0; i < 256; i++) {
  const x = (i / 255) * (RDBU.length - 1), k = Math.min(Math.floor(x), RDBU.length - 2);
  const f = x - k;
  for (let c = 0; c < 3; c++) LUT[i * 3 + c] = RDBU[k][c] * (1 - f) + RDBU[k + 1][c] * f;
}
function diverging(v, s) {
  const i = Math.max(0, Math.min(255, Math.round(127.5 + 127.5 * (v / s))));
  return [LUT[i * 3], LUT[i * 3 + 1], LUT[i * 3 + 2]];
}

// Paint a (C, H, W) float array into a canvas; returns what the colours mean.
function paint(canvas, arr, mode, zoom) {
  const [C, H, W] = arr.shape, d = arr.data, n = H * W;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < d.length; i++) { const v = d[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!d.length) { lo = 0; hi = 0; }
  if (mode === "auto") mode = lo < 0 ? "signed" : "unsigned";
  let s = Math.max(Math.abs(lo), Math.abs(hi)) || 1, clipped = false;
  if (mode === "signed99") {
    // As the CLI's pictures: saturate at the 99.5th percentile of |Y| (from a sample of
    // at most 65536 values), so that a few extreme pixels do not wash the picture out.
    const step = Math.max(1, Math.floor(d.length / 65536)), a = [];
    for (let i = 0; i < d.length; i += step) a.push(Math.abs(d[i]));
    a.sort((x, y) => x - y);
    s = a[Math.min(a.length - 1, Math.floor(0.995 * a.length))] || s;
    mode = "signed"; clipped = true;
  }
  const span = hi - lo || 1;
  canvas.width = Math.max(W, 1); canvas.height = Math.max(H, 1);
  const img = canvas.getContext("2d").createImageData(canvas.width, canvas.height);
  const px = img.data;
  // One pass, no allocation per pixel: this loop is most of an edit's time in the page.
  const unit = (v) => (mode === "signed" ? 127.5 + 127.5 * (v / s)
    : mode === "abs" ? (255 * Math.abs(v)) / s : (255 * (v - lo)) / span);
  for (let p = 0; p < n; p++) {
    const o = 4 * p;
    if (C === 1 && mode === "signed") {
      const i = 3 * Math.max(0, Math.min(255, Math.round(127.5 + 127.5 * (d[p] / s))));
      px[o] = LUT[i]; px[o + 1] = LUT[i + 1]; px[o + 2] = LUT[i + 2];
    } else if (C === 1) {
      px[o] = px[o + 1] = px[o + 2] = unit(d[p]);
    } else {
      px[o] = unit(d[p]); px[o + 1] = unit(d[n + p]); px[o + 2] = unit(d[2 * n + p]);
    }
    px[o + 3] = 255;
  }
  canvas.getContext("2d").putImageData(img, 0, 0);
  canvas.style.width = `${W * zoom}px`; canvas.style.height = `${H * zoom}px`;
  return { mode, lo, hi, s, clipped };
}

function colourbar(canvas, scale, colour) {
  const ctx = canvas.getContext("2d");
  for (let x = 0; x < 256; x++) {
    let c;
    if (scale.mode === "signed" && colour) c = [127.5 * (x / 127.5), 127.5 * (x / 127.5), 127.5 * (x / 127.5)];
    else if (scale.mode === "signed") c = diverging(-scale.s + (2 * scale.s * x) / 255, scale.s);
    else c = [x, x, x];
    ctx.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
    ctx.fillRect(x, 0, 1, 14);
  }
}

function gridView(el, K, highlight) {
  el.innerHTML = "";
  el.style.gridTemplateColumns = `repeat(${K[0].length}, auto)`;
  const s = Math.max(...K.flat().map(Math.abs)) || 1;
  K.forEach((row, a) => row.forEach((v, b) => {
    const span = document.createElement("span");
    span.textContent = fmt(v, 3);
    const [r, g, bl] = diverging(v, s);
    span.style.background = `rgb(${r},${g},${bl})`;
    span.style.color = Math.abs(v) / s > 0.6 ? "#fff" : "#000";
    if (highlight && highlight(a, b)) span.style.outline = "2px solid #000";
    span.dataset.a = a; span.dataset.b = b;
    el.appendChild(span);
  }));
}

// ---------------------------------------------------------------- URL state

const state = {
  view: "filter", image: "sample:camera", channels: "grey", zoom: 1,
  kernel: [[0, 0, 0], [1, 0, -1], [0, 0, 0]], bank: "", mode: "corr", padding: "same",
  explicit: [[1, 1], [1, 1]], boundary: "reflect", value: 0, stride: [1, 1], dilation: [1, 1],
  display: "auto", lang: "convlens",
  learn: { preset: "chapter", target: "", epochs: 10, lr: "3e-2", optimizer: "sgd", seed: 0 },
  rf: { spec: "conv3,conv3,pool2,conv3:d2", zoo: "", h: 64, w: 64 },
  anim: { n: 5, k: 3, p: 1, s: 2, d: 1, t: false },
};
PG.state = state;

function saveURL() {
  const s = { ...state };
  history.replaceState(null, "", "#" + encodeURIComponent(JSON.stringify(s)));
}
function loadURL() {
  if (location.hash.length < 2) return;
  try {
    const s = JSON.parse(decodeURIComponent(location.hash.slice(1)));
    for (const k of Object.keys(state)) if (k in s) state[k] = s[k];
  } catch (e) { /* a hand-edited link: keep the defaults */ }
}

// ---------------------------------------------------------------- tabs

function showView(name) {
  state.view = name;
  document.querySelectorAll("#tabs button").forEach((b) =>
    b.classList.toggle("active", b.dataset.view === name));
  document.querySelectorAll(".view").forEach((v) =>
    v.classList.toggle("active", v.id === `view-${name}`));
  if (name === "rf") rfUpdate();
  if (name === "anim") animSetup();
  saveURL();
}

// ---------------------------------------------------------------- 1. filter

function kernelGrid() {
  const el = $("f-grid"), K = state.kernel;
  $("f-kh").value = K.length; $("f-kw").value = K[0].length;
  el.innerHTML = "";
  el.style.gridTemplateColumns = `repeat(${K[0].length}, auto)`;
  K.forEach((row, a) => row.forEach((v, b) => {
    const inp = document.createElement("input");
    inp.type = "number"; inp.step = "any"; inp.value = v;
    inp.dataset.a = a; inp.dataset.b = b;
    inp.setAttribute("aria-label", `kernel[${a}][${b}]`);
    inp.addEventListener("input", () => {
      const x = parseFloat(inp.value);
      if (Number.isFinite(x)) { state.kernel[a][b] = x; state.bank = ""; $("f-bank").value = ""; schedule(); }
    });
    el.appendChild(inp);
  }));
}

function resizeKernel() {
  const kh = Math.min(31, Math.max(1, parseInt($("f-kh").value) || 1));
  const kw = Math.min(31, Math.max(1, parseInt($("f-kw").value) || 1));
  const old = state.kernel;
  state.kernel = Array.from({ length: kh }, (_, a) =>
    Array.from({ length: kw }, (_, b) => (old[a] && old[a][b] !== undefined ? old[a][b] : 0)));
  kernelGrid(); schedule();
}

let BANK = [];
function bankParams() {
  const el = $("f-params"); el.innerHTML = "";
  const entry = BANK.find((b) => b.name === $("f-bank").value);
  if (!entry) return;
  el.title = entry.describe;
  for (const p of entry.params) {
    const lab = document.createElement("label");
    lab.textContent = p.name + " ";
    const inp = document.createElement("input");
    inp.dataset.param = p.name;
    inp.value = p.default === null ? "" : String(p.default);
    inp.addEventListener("change", applyBank);
    lab.appendChild(inp); el.appendChild(lab);
  }
  const d = document.createElement("div"); d.className = "note"; d.textContent = entry.describe;
  el.appendChild(d);
}

async function applyBank() {
  const name = $("f-bank").value;
  if (!name) return;
  const args = [...document.querySelectorAll("#f-params input")]
    .filter((i) => i.value !== "").map((i) => `${i.dataset.param}=${i.value}`);
  const spec = args.length ? `${name}:${args.join(",")}` : name;
  try {
    const info = await (await api("/api/kernel", { spec })).json();
    state.kernel = info.kernel; state.bank = spec;
    kernelGrid(); schedule();
  } catch (e) { showError($("f-error"), e.message); }
}

function pads(n, k, axis, s, d) {
  const span = d * (k - 1);
  if (state.padding === "valid") return [0, 0];
  if (state.padding === "same") return [Math.floor(span / 2), span - Math.floor(span / 2)];
  if (state.padding === "full") return [span, span];
  return state.explicit[axis];
}

function outSize() {
  const X = PG.input; if (!X) return null;
  const n = [X.shape[1], X.shape[2]], k = [state.kernel.length, state.kernel[0].length];
  const lines = [], out = [];
  for (const ax of [0, 1]) {
    const [s, d] = [state.stride[ax], state.dilation[ax]];
    const [p0, p1] = pads(n[ax], k[ax], ax, s, d);
    const o = Math.floor((n[ax] + p0 + p1 - d * (k[ax] - 1) - 1) / s) + 1;
    out.push(o);
    lines.push(`${ax ? "W'" : "H'"} = floor((n + p_total - d(k-1) - 1) / s) + 1 = ` +
      `floor((${n[ax]} + ${p0 + p1} - ${d}·${k[ax] - 1} - 1) / ${s}) + 1 = ${o}`);
  }
  return { out, text: lines.join("\n") };
}

function explain(o) {
  // Say in words why a setup gives no output, before asking the server.
  const k = [state.kernel.length, state.kernel[0].length];
  for (const ax of [0, 1]) {
    const name = ax ? "width" : "height";
    if (state.stride[ax] < 1 || state.dilation[ax] < 1) return "stride and dilation must be at least 1.";
    if (o && o.out[ax] < 1) {
      const d = state.dilation[ax];
      return `The kernel does not fit: its dilated ${name} is d(k-1)+1 = ${d * (k[ax] - 1) + 1}, ` +
        `more than the padded input's ${name}, so there is no output pixel. Pad more ` +
        `("same" or "full"), or use a smaller kernel or dilation.`;
    }
  }
  return "";
}

function options() {
  return {
    image: state.image, channels: state.channels, kernel: state.kernel, mode: state.mode,
    padding: state.padding === "explicit" ? state.explicit : state.padding,
    boundary: state.boundary, value: state.value, stride: state.stride, dilation: state.dilation,
  };
}

let pending = false, inflight = false;
let infoTimer = null;
function schedule() {
  saveURL(); codeUpdate(); showFlipped();
  // Rank and separability once the editing pauses: not a second request on every keystroke.
  clearTimeout(infoTimer); infoTimer = setTimeout(kernelInfo, 150);
  PG.busy = true;
  if (inflight) { pending = true; return; }
  runFilter();
}

function showFlipped() {
  const K = state.kernel;
  $("f-flipped-box").hidden = state.mode !== "conv";
  if (state.mode === "conv") gridView($("f-flipped"), K.map((r) => r.slice().reverse()).reverse());
}

async function kernelInfo() {
  const K = state.kernel;
  try {
    const info = await (await api("/api/kernel", { kernel: K })).json();
    $("f-kinfo").textContent = `${info.shape[0]}×${info.shape[1]}, rank ${info.rank}` +
      (info.separable ? " — separable: a column pass then a row pass" : " — not separable") +
      `, sum ${fmt(info.sum)}`;
  } catch (e) { $("f-kinfo").textContent = e.message; }
}

async function runFilter() {
  const o = outSize();
  if (o) $("f-formula").textContent = o.text;
  const why = explain(o);
  inflight = true;
  const t0 = performance.now();
  try {
    const r = await api("/api/filter", options());
    const Y = await raw(r);
    PG.output = Y;
    const scale = paint($("f-output"), Y, state.display, state.zoom);
    colourbar($("f-colourbar"), scale, Y.shape[0] === 3);
    $("f-cb-lo").textContent = scale.mode === "signed" ? fmt(-scale.s) : fmt(scale.mode === "abs" ? 0 : scale.lo);
    $("f-cb-hi").textContent = scale.mode === "signed" ? fmt(scale.s) : fmt(scale.mode === "abs" ? scale.s : scale.hi);
    $("f-range").textContent = `values from ${fmt(scale.lo)} to ${fmt(scale.hi)}; ` +
      (scale.clipped ? `saturating at ±${fmt(scale.s)} (99.5th percentile of |Y|); ` : "") +
      (scale.mode === "signed" ? "white is 0, red positive, blue negative"
        : scale.mode === "abs" ? "black is 0" : "black is the minimum, white the maximum");
    $("f-out-size").textContent = `${Y.shape[1]}×${Y.shape[2]}`;
    sizeOverlay($("f-out-overlay"), $("f-output"));
    const ms = performance.now() - t0;
    PG.roundTrips.push(ms);
    $("f-status").textContent = `engine: ${r.headers.get("X-Engine")} ` +
      `(${r.headers.get("X-Reason")}) · corr2d ${fmt(+r.headers.get("X-Time-Ms"), 3)} ms · ` +
      `round trip ${ms.toFixed(1)} ms`;
    showError($("f-error"), "");
    if (lastHover) inspect(lastHover[0], lastHover[1]);
  } catch (e) {
    PG.output = null;
    const c = $("f-output"); c.getContext("2d").clearRect(0, 0, c.width, c.height);
    showError($("f-error"), (why ? why + " " : "") + "convlens says: " + e.message);
    $("f-status").textContent = "";
  } finally {
    inflight = false;
    PG.renders++; document.body.dataset.renders = PG.renders;
    if (pending) { pending = false; runFilter(); } else PG.busy = false;
  }
}

function sizeOverlay(ov, base) {
  ov.width = base.width; ov.height = base.height;
  ov.style.width = base.style.width; ov.style.height = base.style.height;
}

async function loadImage() {
  $("f-image-info").textContent = "loading…";
  try {
    const X = await raw(await api(`/api/image/${encodeURIComponent(state.image)}?channels=${state.channels}`));
    PG.input = X;
    paint($("f-input"), X, "unsigned-fixed", state.zoom);
    // The input is drawn as stored (0..1), not stretched, so a dark photo stays dark.
    const c = $("f-input"), ctx = c.getContext("2d"), img = ctx.getImageData(0, 0, c.width, c.height);
    const [C, H, W] = X.shape, n = H * W;
    for (let p = 0; p < n; p++) for (let ch = 0; ch < 3; ch++)
      img.data[4 * p + ch] = 255 * X.data[(C === 1 ? 0 : ch) * n + p];
    ctx.putImageData(img, 0, 0);
    sizeOverlay($("f-overlay"), c);
    $("f-in-size").textContent = `${H}×${W}`;
    $("f-image-info").textContent = `${H}×${W}, ${X.headers.get("X-Colour") === "true" ? "colour" : "grey"}, values in [0, 1]`;
    showError($("f-error"), "");
  } catch (e) {
    $("f-image-info").textContent = "";
    showError($("f-error"), e.message);
  }
  schedule();
}

async function upload(file) {
  const fd = new FormData(); fd.append("file", file);
  try {
    const r = await fetch("/api/upload", { method: "POST", body: fd });
    const j = await r.json();
    if (!r.ok) throw new Error(j.error || r.statusText);
    const opt = document.createElement("option");
    opt.value = j.id; opt.textContent = `${j.name} (yours)`;
    $("f-image").appendChild(opt); $("f-image").value = j.id;
    state.image = j.id; loadImage();
  } catch (e) { showError($("f-error"), "upload refused: " + e.message); }
}

// ---- inspector
let lastHover = null, inspecting = false, nextInspect = null;
async function inspect(i, j) {
  if (inspecting) { nextInspect = [i, j]; return; }
  inspecting = true;
  try {
    const channel = state.channels === "rgb" ? +$("f-ichan").value : 0;
    const r = await (await api("/api/inspect", { ...options(), i, j, channel })).json();
    PG.lastInspect = r;
    drawInspector(r);
  } catch (e) { $("f-inspector").textContent = e.message; }
  inspecting = false;
  if (nextInspect) { const [a, b] = nextInspect; nextInspect = null; inspect(a, b); }
}

function table(caption, M, cls) {
  const t = document.createElement("table");
  const c = document.createElement("caption"); c.textContent = caption; t.appendChild(c);
  M.forEach((row, a) => {
    const tr = document.createElement("tr");
    row.forEach((v, b) => {
      const td = document.createElement("td");
      td.textContent = fmt(v);
      const extra = cls && cls(a, b);
      if (extra) { td.className = extra.cls; td.title = extra.title; }
      tr.appendChild(td);
    });
    t.appendChild(tr);
  });
  return t;
}

function drawInspector(r) {
  const el = $("f-inspector"); el.innerHTML = "";
  const padCls = (a, b) => {
    const cell = r.cells[a][b];
    if (!cell.padded) return { cls: "in", title: `input pixel (${cell.source})` };
    return { cls: "pad", title: cell.source ? `padding: copies input (${cell.source}) by ${state.boundary}` : `padding: the fill value ${state.value}` };
  };
  const chan = state.channels === "rgb" ? `${$("f-ichan").selectedOptions[0].text} channel: ` : "";
  el.appendChild(table(`${chan}window on the padded input (hatched: padding)`, r.window, padCls));
  el.appendChild(table(state.mode === "conv" ? "kernel, flipped" : "kernel", r.kernel));
  el.appendChild(table("products", r.products, padCls));
  const s = document.createElement("div"); s.className = "sum";
  s.innerHTML = `sum of products = <b id="f-sum">${fmt(r.sum, 6)}</b><br>` +
    `output Y[${r.i}, ${r.j}] = <b id="f-value-shown">${fmt(r.output, 6)}</b>`;
  el.appendChild(s);
  // The window on the input: padded cells outside the image are drawn hatched in orange.
  const ov = $("f-overlay"), ctx = ov.getContext("2d");
  ctx.clearRect(0, 0, ov.width, ov.height);
  const [top, left] = r.padded_origin;
  r.cells.forEach((row) => row.forEach((c) => {
    const y = c.at[0] - top, x = c.at[1] - left;
    ctx.fillStyle = c.padded ? "rgba(240,150,0,0.8)" : "rgba(36,88,179,0.55)";
    ctx.fillRect(x, y, 1, 1);
  }));
  const oo = $("f-out-overlay"), octx = oo.getContext("2d");
  octx.clearRect(0, 0, oo.width, oo.height);
  octx.fillStyle = "rgba(255,200,0,0.9)"; octx.fillRect(r.j, r.i, 1, 1);
}

function onOutputHover(ev) {
  const c = $("f-output"), rect = c.getBoundingClientRect();
  const j = Math.floor(((ev.clientX - rect.left) / rect.width) * c.width);
  const i = Math.floor(((ev.clientY - rect.top) / rect.height) * c.height);
  if (i < 0 || j < 0 || i >= c.height || j >= c.width || !PG.output) return;
  if (lastHover && lastHover[0] === i && lastHover[1] === j) return;
  lastHover = [i, j]; inspect(i, j);
}

// ---- copy as code
const TORCH_PAD = { constant: "constant", reflect: "reflect", symmetric: null, edge: "replicate", wrap: "circular" };
const NDIMAGE = { constant: "constant", reflect: "mirror", symmetric: "reflect", edge: "nearest", wrap: "grid-wrap" };

function codeUpdate() {
  const K = JSON.stringify(state.kernel);
  const fn = state.mode === "conv" ? "conv2d" : "corr2d";
  const pad = state.padding === "explicit" ? JSON.stringify(state.explicit).replaceAll("[", "(").replaceAll("]", ")") : `"${state.padding}"`;
  const s = `(${state.stride})`, d = `(${state.dilation})`;
  const val = state.boundary === "constant" && state.value ? `, value=${state.value}` : "";
  const kh = state.kernel.length, kw = state.kernel[0].length;
  const p = [0, 1].map((ax) => pads(0, ax ? kw : kh, ax, state.stride[ax], state.dilation[ax]));
  let code;
  if (state.lang === "convlens") {
    code = `import numpy as np\nimport convlens\n\nK = np.array(${K})\n` +
      `Y = convlens.${fn}(X, K, padding=${pad}, boundary="${state.boundary}"${val},\n` +
      `                   stride=${s}, dilation=${d})`;
  } else if (state.lang === "torch") {
    const tp = TORCH_PAD[state.boundary];
    const flip = state.mode === "conv" ? ".flip(-2, -1)  # convolution: the kernel flipped" : "";
    code = `import torch\nimport torch.nn.functional as F\n\n` +
      `x = torch.as_tensor(X, dtype=torch.float32)[None, None]\n` +
      `k = torch.tensor(${K}, dtype=torch.float32)[None, None]${flip}\n` +
      (tp === null
        ? `# torch has no "symmetric" padding (numpy.pad's name; scipy.ndimage's "reflect"):\n` +
          `import numpy as np\nx = torch.as_tensor(np.pad(X, ((${p[0]}), (${p[1]})), mode="symmetric"))[None, None].float()\n`
        : `x = F.pad(x, (${p[1][0]}, ${p[1][1]}, ${p[0][0]}, ${p[0][1]}), mode="${tp}"` +
          (tp === "constant" ? `, value=${state.value}` : "") + `)  # convlens "${state.boundary}"\n`) +
      `y = F.conv2d(x, k, stride=${s}, dilation=${d})[0, 0]  # F.conv2d is a cross-correlation`;
  } else {
    const sc = state.mode === "conv" ? "convolve" : "correlate";
    const same = state.padding === "same" && state.stride.every((v) => v === 1) &&
      state.dilation.every((v) => v === 1) && kh % 2 && kw % 2;
    code = `import numpy as np\nimport scipy.signal\n\nK = np.array(${K})${state.mode === "conv" ? "[::-1, ::-1]  # convolution" : ""}\n` +
      `Kd = np.zeros(((K.shape[0] - 1) * ${state.dilation[0]} + 1, (K.shape[1] - 1) * ${state.dilation[1]} + 1))\n` +
      `Kd[::${state.dilation[0]}, ::${state.dilation[1]}] = K  # dilation: zeros between taps\n` +
      `Xp = np.pad(X, ((${p[0]}), (${p[1]})), mode="${state.boundary}"` +
      (state.boundary === "constant" ? `, constant_values=${state.value}` : "") + `)\n` +
      `Y = scipy.signal.correlate2d(Xp, Kd, mode="valid")[::${state.stride[0]}, ::${state.stride[1]}]\n` +
      (same ? `\n# or, in one call (scipy.ndimage names "${state.boundary}" "${NDIMAGE[state.boundary]}"):\n` +
        `import scipy.ndimage\nY = scipy.ndimage.${sc}(X, np.array(${K}), mode="${NDIMAGE[state.boundary]}"` +
        (state.boundary === "constant" ? `, cval=${state.value}` : "") + `)\n` : "");
  }
  $("f-code").textContent = code;
  document.querySelectorAll(".code-tabs button[data-lang]").forEach((b) =>
    b.classList.toggle("active", b.dataset.lang === state.lang));
}

function syncFilterControls() {
  $("f-channels").value = state.channels; $("f-zoom").value = String(state.zoom);
  $("f-ichan-label").hidden = state.channels !== "rgb";
  document.querySelectorAll("input[name=f-mode]").forEach((r) => (r.checked = r.value === state.mode));
  $("f-padding").value = state.padding; $("f-explicit").hidden = state.padding !== "explicit";
  [["f-pt", 0, 0], ["f-pb", 0, 1], ["f-pl", 1, 0], ["f-pr", 1, 1]].forEach(([id, a, b]) =>
    ($(id).value = state.explicit[a][b]));
  $("f-boundary").value = state.boundary; $("f-value").value = state.value;
  $("f-value-label").hidden = state.boundary !== "constant";
  $("f-sh").value = state.stride[0]; $("f-sw").value = state.stride[1];
  $("f-dh").value = state.dilation[0]; $("f-dw").value = state.dilation[1];
  $("f-display").value = state.display;
  kernelGrid();
}

function intOf(id, lo) { const v = parseInt($(id).value); return Number.isFinite(v) ? v : lo; }

function wireFilter() {
  $("f-image").addEventListener("change", () => { state.image = $("f-image").value; loadImage(); });
  $("f-upload").addEventListener("change", (e) => e.target.files[0] && upload(e.target.files[0]));
  $("f-channels").addEventListener("change", () => {
    state.channels = $("f-channels").value;
    $("f-ichan-label").hidden = state.channels !== "rgb";
    loadImage();
  });
  $("f-ichan").addEventListener("change", () => lastHover && inspect(lastHover[0], lastHover[1]));
  $("f-zoom").addEventListener("change", () => {
    state.zoom = parseFloat($("f-zoom").value);
    for (const [c, o] of [["f-input", "f-overlay"], ["f-output", "f-out-overlay"]]) {
      const cv = $(c);
      cv.style.width = `${cv.width * state.zoom}px`; cv.style.height = `${cv.height * state.zoom}px`;
      sizeOverlay($(o), cv);
    }
    saveURL();
  });
  $("f-bank").addEventListener("change", () => { bankParams(); applyBank(); });
  $("f-kh").addEventListener("change", resizeKernel); $("f-kw").addEventListener("change", resizeKernel);
  document.querySelectorAll("input[name=f-mode]").forEach((r) => r.addEventListener("change", () => {
    state.mode = r.value; schedule();
  }));
  $("f-padding").addEventListener("change", () => {
    state.padding = $("f-padding").value; $("f-explicit").hidden = state.padding !== "explicit"; schedule();
  });
  ["f-pt", "f-pb", "f-pl", "f-pr"].forEach((id) => $(id).addEventListener("change", () => {
    state.explicit = [[intOf("f-pt", 0), intOf("f-pb", 0)], [intOf("f-pl", 0), intOf("f-pr", 0)]];
    schedule();
  }));
  $("f-boundary").addEventListener("change", () => {
    state.boundary = $("f-boundary").value; $("f-value-label").hidden = state.boundary !== "constant"; schedule();
  });
  $("f-value").addEventListener("change", () => { state.value = parseFloat($("f-value").value) || 0; schedule(); });
  ["f-sh", "f-sw", "f-dh", "f-dw"].forEach((id) => $(id).addEventListener("change", () => {
    state.stride = [intOf("f-sh", 1), intOf("f-sw", 1)];
    state.dilation = [intOf("f-dh", 1), intOf("f-dw", 1)];
    schedule();
  }));
  $("f-display").addEventListener("change", () => { state.display = $("f-display").value; schedule(); });
  $("f-output").addEventListener("mousemove", onOutputHover);
  $("f-output").addEventListener("click", onOutputHover);
  document.querySelectorAll(".code-tabs button[data-lang]").forEach((b) =>
    b.addEventListener("click", () => { state.lang = b.dataset.lang; codeUpdate(); saveURL(); }));
  $("f-copy").addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText($("f-code").textContent));
}

// ---------------------------------------------------------------- 2. learn

let learnSource = null;
function learnStart() {
  if (learnSource) learnSource.close();
  const L = state.learn;
  L.preset = $("l-preset").value; L.target = $("l-target").value.trim();
  L.epochs = intOf("l-epochs", 10); L.lr = $("l-lr").value.trim() || "auto";
  L.optimizer = $("l-opt").value; L.seed = intOf("l-seed", 0);
  saveURL();
  const q = new URLSearchParams({ preset: L.preset, epochs: L.epochs, lr: L.lr, optimizer: L.optimizer, seed: L.seed });
  if (L.target && L.preset !== "pair") q.set("target", L.target);
  if (L.preset === "pair") {
    L.size = $("l-size").value.trim();
    q.set("x", L.x || ""); q.set("y", L.y || ""); q.set("size", L.size);
  }
  const losses = [];
  PG.learn = { done: false, losses };
  showError($("l-error"), "");
  $("l-summary").textContent = ""; $("l-lstsq").innerHTML = "";
  const src = (learnSource = new EventSource(`/api/learn?${q}`));
  src.addEventListener("setup", (e) => {
    const d = JSON.parse(e.data);
    $("l-target-k").classList.toggle("hidden", $("l-hide").checked);
    if (d.target) gridView($("l-target-k"), d.target);
    else $("l-target-k").textContent = `unknown (${d.kernel_shape.join("×")}, your pair)`;
    PG.learn.target = d.target;
    $("l-data").hidden = !d.X;
    if (d.X) { gridView($("l-X"), d.X); gridView($("l-Y"), d.Y); }
    $("l-status").textContent = `input ${d.shape[0]}×${d.shape[1]}, learning rate ${fmt(d.lr)}`;
  });
  src.addEventListener("epoch", (e) => {
    const d = JSON.parse(e.data);
    losses.push([d.epoch, d.loss]);
    gridView($("l-kernel"), d.kernel);
    PG.learn.kernel = d.kernel;
    $("l-status").textContent = `epoch ${d.epoch}, loss ${fmt(d.loss)}`;
    drawLoss(losses);
  });
  src.addEventListener("done", (e) => {
    const d = JSON.parse(e.data);
    src.close();
    gridView($("l-kernel"), d.kernel); gridView($("l-lstsq"), d.lstsq);
    $("l-target-k").classList.remove("hidden");
    Object.assign(PG.learn, { done: true, kernel: d.kernel, lstsq: d.lstsq, maxError: d.max_error });
    $("l-summary").textContent = d.lstsq_error === null
      ? `largest difference between gradient descent and least squares: ${fmt(d.max_error)}; ` +
        `least-squares residual ${fmt(d.residual)} (rank ${d.rank} of ${d.unknowns} unknowns` +
        `${d.underdetermined ? ": underdetermined, the data cannot pin the kernel down" : ""})`
      : `largest error of gradient descent: ${fmt(d.max_error)}; ` +
      `of least squares: ${fmt(d.lstsq_error)} (rank ${d.rank} of ${d.unknowns} unknowns` +
      `${d.underdetermined ? ": underdetermined, the data cannot pin the kernel down" : ""})`;
    document.body.dataset.learned = String(Date.now());
  });
  src.addEventListener("failed", (e) => { src.close(); showError($("l-error"), JSON.parse(e.data).error); });
  src.onerror = () => {
    if (!PG.learn.done) {
      src.close();
      fetch(`/api/learn?${q}`).then((r) => (r.ok ? null : r.json())).then((j) =>
        j && showError($("l-error"), j.error));
    }
  };
}

function drawLoss(points) {
  const c = $("l-loss"), ctx = c.getContext("2d"), W = c.width, H = c.height, m = 44;
  ctx.clearRect(0, 0, W, H);
  ctx.strokeStyle = "#999"; ctx.strokeRect(m, 10, W - m - 10, H - m - 10);
  const pos = points.filter((p) => p[1] > 0);
  if (!pos.length) return;
  const ys = pos.map((p) => Math.log10(p[1]));
  let lo = Math.floor(Math.min(...ys)), hi = Math.ceil(Math.max(...ys));
  if (hi === lo) hi = lo + 1;
  const n = Math.max(points[points.length - 1][0], 2);
  const X = (e) => m + ((e - 1) / (n - 1)) * (W - m - 10);
  const Y = (v) => 10 + ((hi - v) / (hi - lo)) * (H - m - 10);
  ctx.fillStyle = "#555"; ctx.font = "11px sans-serif";
  for (let t = lo; t <= hi; t++) { ctx.fillText(`1e${t}`, 4, Y(t) + 4); }
  ctx.fillText("epoch 1", m, H - m + 16); ctx.fillText(`${n}`, W - 30, H - m + 16);
  ctx.strokeStyle = "#2458b3"; ctx.lineWidth = 2; ctx.beginPath();
  pos.forEach((p, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, X(p[0]), Y(Math.log10(p[1]))));
  ctx.stroke();
}

function wireLearn() {
  const L = state.learn;
  $("l-preset").value = L.preset; $("l-target").value = L.target; $("l-epochs").value = L.epochs;
  $("l-lr").value = L.lr; $("l-opt").value = L.optimizer; $("l-seed").value = L.seed;
  $("l-pair").hidden = L.preset !== "pair";
  if (L.size) $("l-size").value = L.size;
  for (const [id, key] of [["l-x", "x"], ["l-y", "y"]]) {
    $(id).addEventListener("change", async (e) => {
      const fd = new FormData(); fd.append("file", e.target.files[0]);
      const r = await fetch("/api/upload", { method: "POST", body: fd });
      const j = await r.json();
      if (!r.ok) { showError($("l-error"), `upload refused: ${j.error}`); return; }
      showError($("l-error"), ""); state.learn[key] = j.id; saveURL();
    });
  }
  $("l-preset").addEventListener("change", () => {
    $("l-pair").hidden = $("l-preset").value !== "pair";
    const chapter = $("l-preset").value === "chapter";
    $("l-lr").value = chapter ? "3e-2" : "auto"; $("l-epochs").value = chapter ? 10 : 200;
  });
  $("l-start").addEventListener("click", learnStart);
}

// ---------------------------------------------------------------- 3. receptive fields

let rfInfo = null, rfPicture = null, rfSeq = 0;
const RF_SCALE = () => Math.max(1, Math.floor(384 / Math.max(state.rf.h, state.rf.w)));

function rfQuery(extra = {}) {
  const R = state.rf, q = new URLSearchParams({ h: R.h, w: R.w, ...extra });
  if (R.zoo) q.set("zoo", R.zoo); else q.set("spec", R.spec);
  return q;
}

async function rfUpdate() {
  const R = state.rf, seq = ++rfSeq;
  saveURL();
  try {
    const [info, pic] = await Promise.all([
      api(`/api/rf?${rfQuery()}`).then((r) => r.json()),
      api(`/api/rf/image?${rfQuery()}`).then(raw),
    ]);
    if (seq !== rfSeq) return;
    rfInfo = info; rfPicture = pic; PG.rf = { info, box: null };
    showError($("r-error"), "");
    const z = RF_SCALE();
    paint($("r-image"), pic, "unsigned", z);
    sizeOverlay($("r-overlay"), $("r-image"));
    const [oh, ow] = info.out_shape;
    const u = $("r-units"), uz = Math.max(2, Math.floor(256 / Math.max(oh, ow)));
    u.width = ow * uz; u.height = oh * uz; u.dataset.cell = uz;
    const ctx = u.getContext("2d");
    ctx.fillStyle = "#eef1f6"; ctx.fillRect(0, 0, u.width, u.height);
    ctx.strokeStyle = "#c3c9d3";
    if (uz >= 4) for (let i = 0; i <= oh; i++) for (let j = 0; j <= ow; j++) ctx.strokeRect(j * uz, i * uz, uz, uz);
    $("r-out-size").textContent = `${oh}×${ow}`;
    rfTable(info);
  } catch (e) {
    if (seq === rfSeq) showError($("r-error"), e.message);
  }
}

function rfTable(info) {
  const t = $("r-table"); t.innerHTML = "";
  const head = ["layer", "op", "k", "s", "p", "d", "RF", "S", "P", "shape"];
  const f = (v) => (v === null || v === undefined ? ""
    : Array.isArray(v) && Array.isArray(v[0]) ? v.map((p) => p.join("/")).join(" × ")
      : Array.isArray(v) ? v.join("×") : String(v));
  const tr = document.createElement("tr");
  head.forEach((h) => { const th = document.createElement("th"); th.textContent = h; tr.appendChild(th); });
  t.appendChild(tr);
  for (const r of info.rows) {
    const row = document.createElement("tr");
    [r.name, r.op, r.kernel, r.layer_stride, r.layer_padding, r.dilation, r.size, r.stride, r.padding, r.shape]
      .forEach((v) => { const td = document.createElement("td"); td.textContent = f(v); row.appendChild(td); });
    t.appendChild(row);
  }
}

async function rfHover(ev, fields) {
  if (!rfInfo) return;
  const u = $("r-units"), uz = +u.dataset.cell, rect = u.getBoundingClientRect();
  const i = Math.floor((ev.clientY - rect.top) / uz), j = Math.floor((ev.clientX - rect.left) / uz);
  const [oh, ow] = rfInfo.out_shape;
  if (i < 0 || j < 0 || i >= oh || j >= ow) return;
  try {
    const b = await (await api(`/api/rf/box?${rfQuery({ i, j })}`)).json();
    PG.rf.box = b;
    const z = RF_SCALE(), ov = $("r-overlay"), ctx = ov.getContext("2d");
    ov.width = $("r-image").width * z; ov.height = $("r-image").height * z;
    ctx.clearRect(0, 0, ov.width, ov.height);
    const [[t, bo], [l, r]] = b.box;
    ctx.strokeStyle = "#ff2d2d"; ctx.lineWidth = 2;
    ctx.strokeRect(l * z + 1, t * z + 1, (r - l + 1) * z - 2, (bo - t + 1) * z - 2);
    const box = $("r-box-text");
    box.textContent = `unit (${i}, ${j}) sees rows ${t}..${bo}, columns ${l}..${r}` +
      ` (${bo - t + 1}×${r - l + 1} inside the image)`;
    box.dataset.box = JSON.stringify(b.box); box.dataset.unit = JSON.stringify([i, j]);
    const uctx = u.getContext("2d");
    rfUnitsRedraw(); uctx.fillStyle = "rgba(255,45,45,.8)"; uctx.fillRect(j * uz, i * uz, uz, uz);
    if (fields) rfFields(i, j, b.box);
  } catch (e) { showError($("r-error"), e.message); }
}

function rfUnitsRedraw() {
  const u = $("r-units"), uz = +u.dataset.cell, ctx = u.getContext("2d");
  const [oh, ow] = rfInfo.out_shape;
  ctx.fillStyle = "#eef1f6"; ctx.fillRect(0, 0, u.width, u.height);
  ctx.strokeStyle = "#c3c9d3";
  if (uz >= 4) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) ctx.strokeRect(j * uz, i * uz, uz, uz);
}

async function rfFields(i, j, box) {
  $("r-box-text").textContent += " — computing the fields…";
  try {
    const m = await (await api(`/api/rf/fields?${rfQuery({ i, j })}`)).json();
    const H = state.rf.h, W = state.rf.w, z = Math.max(1, Math.floor(RF_SCALE() / 2));
    const analytic = new Float32Array(H * W);
    for (let r = box[0][0]; r <= box[0][1]; r++) for (let c = box[1][0]; c <= box[1][1]; c++) analytic[r * W + c] = 1;
    paint($("r-analytic"), { data: analytic, shape: [1, H, W] }, "unsigned", z);
    paint($("r-empirical"), { data: Float32Array.from(m.empirical.flat()), shape: [1, H, W] }, "unsigned", z);
    paint($("r-effective"), { data: Float32Array.from(m.effective.flat()), shape: [1, H, W] }, "abs", z);
    PG.rf.fields = m;
    $("r-box-text").textContent = $("r-box-text").textContent.replace(" — computing the fields…", "");
  } catch (e) { showError($("r-error"), e.message); }
}

function rfEditor() {
  const el = $("r-editor"); el.innerHTML = "";
  const layers = state.rf.spec.split(",").map((s) => s.trim()).filter(Boolean);
  layers.forEach((tok, idx) => {
    const m = /^(conv|pool|maxpool|avgpool|tconv|pad)(\d+)/.exec(tok) || [null, "conv", "3"];
    const opt = (ch, def) => { const r = new RegExp(`:${ch}(\\d+)`).exec(tok); return r ? r[1] : def; };
    const row = document.createElement("div"); row.className = "row";
    const kind = document.createElement("select");
    ["conv", "pool", "tconv", "pad"].forEach((k) => kind.add(new Option(k, k, false, m[1].endsWith(k) || m[1] === k)));
    const mk = (lab, v) => { const i = document.createElement("input"); i.type = "number"; i.min = 0; i.value = v; i.title = lab; i.placeholder = lab; return i; };
    const k = mk("k", m[2]), s = mk("s", opt("s", "")), p = mk("p", opt("p", "")), d = mk("d", opt("d", ""));
    const del = document.createElement("button"); del.textContent = "×"; del.title = "remove this layer";
    row.append(kind, k, s, p, d, del);
    const rebuild = () => {
      const toks = [...el.querySelectorAll(".row")].map((rw) => {
        const [kd, kk, ss, pp, dd] = [...rw.querySelectorAll("select, input")].map((x) => x.value);
        return `${kd}${kk || 1}` + (ss ? `:s${ss}` : "") + (pp ? `:p${pp}` : "") + (dd ? `:d${dd}` : "");
      });
      state.rf.spec = toks.join(","); $("r-spec").value = state.rf.spec; rfUpdate();
    };
    [kind, k, s, p, d].forEach((x) => x.addEventListener("change", rebuild));
    del.addEventListener("click", () => { row.remove(); rebuild(); rfEditor(); });
    el.appendChild(row);
  });
}

function wireRF() {
  const R = state.rf;
  $("r-spec").value = R.spec; $("r-zoo").value = R.zoo; $("r-h").value = R.h; $("r-w").value = R.w;
  rfEditor();
  $("r-spec").addEventListener("change", () => { R.spec = $("r-spec").value; rfEditor(); rfUpdate(); });
  $("r-zoo").addEventListener("change", () => {
    R.zoo = $("r-zoo").value;
    if (R.zoo && R.h < 96) { R.h = R.w = 224; $("r-h").value = $("r-w").value = 224; }
    rfUpdate();
  });
  ["r-h", "r-w"].forEach((id) => $(id).addEventListener("change", () => {
    R.h = intOf("r-h", 64); R.w = intOf("r-w", 64); rfUpdate();
  }));
  $("r-add").addEventListener("click", () => { R.spec += ",conv3"; $("r-spec").value = R.spec; rfEditor(); rfUpdate(); });
  $("r-units").addEventListener("mousemove", (e) => rfHover(e, false));
  $("r-units").addEventListener("click", (e) => rfHover(e, true));
}

// ---------------------------------------------------------------- 4. animation

let animFrames = [], animTimer = null;
function animSetup() {
  const A = state.anim;
  A.n = intOf("a-n", 5); A.k = intOf("a-k", 3); A.p = intOf("a-p", 0);
  A.s = Math.max(1, intOf("a-s", 1)); A.d = Math.max(1, intOf("a-d", 1)); A.t = $("a-t").checked;
  saveURL();
  const span = A.d * (A.k - 1);
  let law, o;
  if (!A.t) {
    o = Math.floor((A.n + 2 * A.p - span - 1) / A.s) + 1;
    law = `out = floor((n + 2p - d(k-1) - 1) / s) + 1 = floor((${A.n} + ${2 * A.p} - ${span} - 1) / ${A.s}) + 1 = ${o}`;
  } else {
    o = (A.n - 1) * A.s - 2 * A.p + span + 1;
    law = `transposed: out = (n - 1)s - 2p + d(k-1) + 1 = (${A.n} - 1)·${A.s} - ${2 * A.p} + ${span} + 1 = ${o}` +
      `\nit undoes the shape of a convolution with the same k, s, p, d (each input cell spreads the kernel over the output)`;
  }
  $("a-law").textContent = law;
  animFrames = [];
  if (o >= 1) {
    if (!A.t) for (let i = 0; i < o; i++) for (let j = 0; j < o; j++) animFrames.push([i, j]);
    else for (let i = 0; i < A.n; i++) for (let j = 0; j < A.n; j++) animFrames.push([i, j]);
  }
  A.out = o;
  $("a-scrub").max = Math.max(0, animFrames.length - 1);
  if (+$("a-scrub").value > animFrames.length - 1) $("a-scrub").value = 0;
  animDraw();
}

function animDraw() {
  const A = state.anim, c = $("a-canvas"), ctx = c.getContext("2d");
  ctx.clearRect(0, 0, c.width, c.height);
  ctx.font = "13px sans-serif";
  if (A.out < 1) { ctx.fillStyle = "#b3261e"; ctx.fillText("no output: the dilated kernel is larger than the padded input", 20, 40); return; }
  const t = +$("a-scrub").value, [fi, fj] = animFrames[t] || [0, 0];
  const cell = Math.min(40, Math.floor(380 / (A.t ? A.n : A.n + 2 * A.p)));
  const drawGrid = (x0, y0, n, lit, label, pad) => {
    ctx.fillStyle = "#333"; ctx.fillText(label, x0, y0 - 8);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const isPad = pad && (i < pad || j < pad || i >= n - pad || j >= n - pad);
      ctx.fillStyle = lit(i, j) || (isPad ? "#f8ecd2" : "#e8edf5");
      ctx.fillRect(x0 + j * cell, y0 + i * cell, cell - 2, cell - 2);
      if (isPad) { ctx.strokeStyle = "#d9a441"; ctx.setLineDash([3, 2]); ctx.strokeRect(x0 + j * cell, y0 + i * cell, cell - 2, cell - 2); ctx.setLineDash([]); }
    }
  };
  if (!A.t) {
    const np = A.n + 2 * A.p;
    const taps = new Set();
    for (let a = 0; a < A.k; a++) for (let b = 0; b < A.k; b++) taps.add(`${fi * A.s + a * A.d},${fj * A.s + b * A.d}`);
    drawGrid(20, 40, np, (i, j) => (taps.has(`${i},${j}`) ? "#2458b3" : null), `input ${A.n}×${A.n}, padded by ${A.p} (dashed)`, A.p);
    const oc = Math.min(cell, Math.floor(380 / A.out));
    const x0 = 60 + np * cell;
    ctx.fillStyle = "#333"; ctx.fillText(`output ${A.out}×${A.out}: unit (${fi}, ${fj})`, x0, 32);
    for (let i = 0; i < A.out; i++) for (let j = 0; j < A.out; j++) {
      const done = i * A.out + j < t;
      ctx.fillStyle = i === fi && j === fj ? "#f0a000" : done ? "#9bb7e0" : "#e8edf5";
      ctx.fillRect(x0 + j * oc, 40 + i * oc, oc - 2, oc - 2);
    }
  } else {
    drawGrid(20, 40, A.n, (i, j) => (i === fi && j === fj ? "#f0a000" : null), `input ${A.n}×${A.n}: cell (${fi}, ${fj})`, 0);
    const full = (A.n - 1) * A.s + A.d * (A.k - 1) + 1;
    const oc = Math.min(cell, Math.floor(400 / full)), x0 = 60 + A.n * cell;
    ctx.fillStyle = "#333";
    ctx.fillText(`output ${A.out}×${A.out} (the full ${full}×${full} minus ${A.p} cropped each side, shaded)`, x0, 32);
    for (let i = 0; i < full; i++) for (let j = 0; j < full; j++) {
      let lit = false;
      for (let a = 0; a < A.k; a++) for (let b = 0; b < A.k; b++) if (fi * A.s + a * A.d === i && fj * A.s + b * A.d === j) lit = true;
      const cropped = i < A.p || j < A.p || i >= full - A.p || j >= full - A.p;
      ctx.fillStyle = lit ? "#2458b3" : cropped ? "#f8ecd2" : "#e8edf5";
      ctx.fillRect(x0 + j * oc, 40 + i * oc, oc - 2, oc - 2);
    }
  }
  ctx.fillStyle = "#555";
  ctx.fillText(`step ${t + 1} of ${animFrames.length}`, 20, c.height - 12);
}

function wireAnim() {
  const A = state.anim;
  $("a-n").value = A.n; $("a-k").value = A.k; $("a-p").value = A.p; $("a-s").value = A.s;
  $("a-d").value = A.d; $("a-t").checked = A.t;
  ["a-n", "a-k", "a-p", "a-s", "a-d", "a-t"].forEach((id) => $(id).addEventListener("change", animSetup));
  $("a-scrub").addEventListener("input", animDraw);
  const step = () => {
    const s = $("a-scrub");
    s.value = (+s.value + 1) % Math.max(1, animFrames.length); animDraw();
  };
  $("a-step").addEventListener("click", step);
  $("a-play").addEventListener("click", () => {
    if (animTimer) { clearInterval(animTimer); animTimer = null; $("a-play").textContent = "play"; }
    else { animTimer = setInterval(step, 500); $("a-play").textContent = "pause"; }
  });
}

// ---------------------------------------------------------------- start

async function main() {
  loadURL();
  document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => showView(b.dataset.view)));
  $("share").addEventListener("click", () => { saveURL(); navigator.clipboard && navigator.clipboard.writeText(location.href); });
  const [samples, bank] = await Promise.all([api("/api/samples").then((r) => r.json()), api("/api/bank").then((r) => r.json())]);
  BANK = bank;
  for (const s of samples) $("f-image").add(new Option(s.name, s.id));
  if (![...$("f-image").options].some((o) => o.value === state.image)) state.image = "sample:camera";
  $("f-image").value = state.image;
  $("f-bank").add(new Option("(your own, edit the grid)", ""));
  for (const b of bank) $("f-bank").add(new Option(b.name, b.name));
  syncFilterControls(); wireFilter(); wireLearn(); wireRF(); wireAnim();
  if (state.bank) { $("f-bank").value = state.bank.split(":")[0]; bankParams(); }
  showView(state.view);
  await loadImage();
  document.body.dataset.ready = "1";
}
main();
