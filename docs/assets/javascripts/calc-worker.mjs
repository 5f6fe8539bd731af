// Module Web Worker that hosts Pyodide and the calculators' wheel (Pyodide refuses classic
// workers). One boot per worker: calc-runtime.js starts a new worker to retry or to fall
// back, and watches the progress messages posted here to detect a stalled boot.
//
// Boot modes (all files come from content-hashed folders, see handbook/runtime.py):
//   auto      the memory snapshot if this browser already holds it (HTTP or service-worker
//             cache, never the network), otherwise the bytecode boot; after a bytecode
//             boot the snapshot is fetched in the background for the next visit;
//   bytecode  the standard library compiled to .pyc at build time (python_stdlib.zip);
//   plain     Pyodide's own source standard library (the last fallback).

let api = null;          // message type -> calc.registry.run_json, run_upload, run_form; redline
let filesReady = null;   // after a snapshot restore the wheel's files are written back here
let booting = true;
let cause = "";          // the first concrete problem seen while booting (a file, a type)
let failed = false;

const realFetch = self.fetch.bind(self);
const BACKGROUND_DELAY_MS = 3000;  // after "ready", before the snapshot download starts

// When each boot step ended, in ms since the epoch (the page subtracts its own timeOrigin):
// HandbookRuntime.info().timings, read by bench/calculator_boot.py.
const timings = {};
function stamp(step) { timings[step] = performance.timeOrigin + performance.now(); }
stamp("workerStart");

function post(message) { self.postMessage(message); }

function progress(stage, bytes) { if (booting) post({ type: "progress", stage, bytes: bytes || 0 }); }

function note(problem) { if (!cause) cause = problem; }

// Report a boot failure once; calc-runtime.js then ends this worker. `fatal` failures come
// from files every boot mode needs, so no fallback is tried.
function fail(message, fatal) {
  if (failed || !booting) return;
  failed = true;
  post({ type: "boot-error", message, fatal: !!fatal });
}

function fileName(url) {
  try { return decodeURIComponent(new URL(url, self.location.href).pathname.split("/").pop()); }
  catch { return String(url); }
}

// Bytes arriving are progress: count them on a clone (the original goes on untouched, so
// Chromium still caches the compiled wasm by its URL).
function countBytes(response, name) {
  if (!response.body) return;
  const reader = response.body.getReader();
  let bytes = 0, last = 0;
  (function pump() {
    reader.read().then(({ done, value }) => {
      if (done || !booting) { if (!done) reader.cancel(); return; }
      bytes += value.length;
      if (Date.now() - last > 250) { last = Date.now(); progress("下载 " + name, bytes); }
      pump();
    }, () => {});
  })();
}

// Pyodide reports a missing, mistyped or broken .wasm only as a console warning and then
// waits forever: every fetch and instantiation of the boot goes through these wrappers.
self.fetch = async function (input, init) {
  const name = fileName(typeof input === "string" || input instanceof URL ? input : input.url);
  progress("下载 " + name);
  let response;
  try {
    response = await realFetch(input, init);
  } catch (e) {
    note(`${name} 无法下载（${(e && e.message) || e}）`);
    throw e;
  }
  const type = (response.headers.get("content-type") || "").split(";")[0].trim();
  if (!response.ok) {
    note(`${name} 无法下载（服务器答复 HTTP ${response.status}）`);
  } else if (name.endsWith(".wasm") && type !== "application/wasm") {
    note(`服务器给出的 ${name} 的 MIME 类型是“${type || "无"}”，应为 application/wasm`);
  } else if (booting) {
    countBytes(response.clone(), name);
  }
  return response;
};

for (const key of ["instantiateStreaming", "instantiate"]) {
  const real = WebAssembly[key];
  WebAssembly[key] = async function (...args) {
    try {
      return await real.apply(WebAssembly, args);
    } catch (e) {
      fail(cause || `pyodide.asm.wasm 不完整或已损坏，无法编译（${(e && e.message) || e}）`, true);
      throw e;
    }
  };
}

async function fetchBytes(url, what) {
  const response = await self.fetch(url);
  if (!response.ok) throw new Error(`${what}（${fileName(url)}）无法下载：HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// The snapshot as gzip bytes, inflated here (browsers inflate gzip with no library); also
// accepted already inflated, when a server added Content-Encoding: gzip itself.
async function inflate(buffer) {
  const bytes = new Uint8Array(buffer);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// The same, inflating while the bytes are read from the cache rather than after.
async function inflateStream(response) {
  const reader = response.body.getReader();
  const first = await reader.read();
  const head = first.done ? new Uint8Array(0) : first.value;
  const body = new ReadableStream({
    start(controller) { if (head.length) controller.enqueue(head); },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close(); else controller.enqueue(value);
    }
  });
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const bytes = await new Response(gzip ? body.pipeThrough(new DecompressionStream("gzip")) : body).arrayBuffer();
  return new Uint8Array(bytes);
}

// Only what this browser already holds: a first visit must not wait for 5 MB.
async function cachedSnapshot(url) {
  try {
    const response = await realFetch(url, { cache: "only-if-cached", mode: "same-origin" });
    return response.ok ? response : null;
  } catch {
    return null;
  }
}

async function boot(m) {
  const started = performance.now();
  stamp("bootStart");
  let mode = m.mode === "plain" ? "plain" : "bytecode";
  let snapshot = null;
  // pyodide.mjs loads while the cache is asked for the snapshot (one step instead of two).
  const pyodideModule = import(m.indexURL + "pyodide.mjs");
  pyodideModule.catch(() => {});
  if (m.mode === "auto" && m.snapshotURL) {
    const response = await cachedSnapshot(m.snapshotURL);
    stamp("snapshotFound");
    if (response) {
      mode = "snapshot";
      snapshot = inflateStream(response).then((bytes) => { stamp("snapshotInflated"); return bytes; });
    }
  }
  post({ type: "progress", stage: "pyodide.mjs", bytes: 0, mode });
  let loadPyodide;
  try {
    ({ loadPyodide } = await pyodideModule);
  } catch (e) {
    return fail(cause || `pyodide.mjs 无法载入（${(e && e.message) || e}）`, true);
  }
  stamp("pyodideModule");
  const options = { indexURL: m.indexURL, packageBaseUrl: m.indexURL, stdout: () => {}, stderr: () => {} };
  if (mode === "plain") options.stdLibURL = m.indexURL + m.plainStdlib;
  if (snapshot) options._loadSnapshot = snapshot;
  const pyodide = await loadPyodide(options);
  if (failed) return;
  stamp("python");
  progress("载入计算器");
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  const unpack = (bytes) => pyodide.unpackArchive(bytes, "zip", { extractDir: sitePackages });
  if (snapshot) {
    // calc is inside the snapshot; its files (read by anything not imported yet) are not.
    filesReady = fetchBytes(m.wheelURL, "计算器程序包").then(unpack);
    // Every restore starts from the same state: give random (and secrets' users) new seeds.
    pyodide.runPython("import random; random.seed()");
  } else {
    unpack(await fetchBytes(m.wheelURL, "计算器程序包"));
    filesReady = Promise.resolve();
  }
  const registry = pyodide.pyimport("calc.registry");
  api = { run: registry.run_json, upload: registry.run_upload, form: registry.run_form,
          compare: pyodide.pyimport("calc.redline").compare_json };
  self.handbookPython = pyodide;  // for diagnosis in the browser's console, and the tests
  booting = false;
  stamp("ready");
  post({ type: "ready", mode, ms: Math.round(performance.now() - started), timings });
  if (mode !== "snapshot" && m.snapshotURL) {
    // For the next visit: into the HTTP cache (and the service worker's, when there is one).
    // A few seconds later, so that 6.6 MB arriving and being stored do not slow a move to
    // another calculator page just after the first answer (on 2 cores: 200-300 ms vs 70-150).
    setTimeout(() => {
      realFetch(m.snapshotURL).then((r) => (r.ok ? r.arrayBuffer() : null))
        .then((b) => { if (b) post({ type: "snapshot-cached" }); }, () => {});
    }, BACKGROUND_DELAY_MS);
  }
}

function run(m) {
  try {
    return m.type === "upload" ? api.upload(m.name, new Uint8Array(m.data))
      : m.type === "compare" ? api.compare(m.old, m.new, m.oldLabel, m.newLabel)
      : api[m.type](m.name, m.input);   // run: JSON; form: the strings as typed; unknown: throws
  } catch (e) {
    // A bug, not bad input: say so in Chinese rather than show a traceback.
    return JSON.stringify({ error: "计算器内部错误，请将所填内容与本消息报告给手册维护人：" +
      String((e && e.message) || e).split("\n").slice(-2).join(" ") });
  }
}

async function onMessage(ev) {
  const m = ev.data;
  if (m.type === "boot") {
    try {
      await boot(m);
    } catch (e) {
      // Pyodide's own words for a missing standard library are "exit(1)": name the file.
      fail(cause || `Python 无法启动（${String((e && e.message) || e).split("\n")[0]}）`, false);
    }
  } else if (m.id !== undefined) {   // a request: always answered, if only with an error
    await filesReady.catch(() => {});
    post({ type: "result", id: m.id, json: run(m) });
  }
}

self.onmessage = onMessage;
// The boot order comes in the worker's name (calc-runtime.js): a message posted before the
// worker runs reaches it only when the page's main thread is free again, which on a first
// view (the theme's scripts running) was 200-300 ms later.
if (self.name.startsWith("{")) onMessage({ data: JSON.parse(self.name) });
