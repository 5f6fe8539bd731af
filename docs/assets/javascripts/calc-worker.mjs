// Module Web Worker that hosts Pyodide and the calculators' wheel (Pyodide refuses classic
// workers). One boot per worker: calc-runtime.js starts a new worker to retry or to fall
// back, and watches the progress messages posted here to detect a stalled boot.
//
// Boot modes (all files come from content-hashed folders, see handbook/runtime.py):
//   auto      the memory snapshot (page-packed, handbook/snapshot_pages.py) when this
//             browser already holds it (service-worker or HTTP cache), or, on a first
//             visit, when all of it arrives from the network within the order's budget
//             (a fast link; it is stopped otherwise); else the bytecode boot, after which
//             the snapshot is fetched in the background for the next visit;
//   bytecode  the standard library compiled to .pyc at build time (python_stdlib.zip);
//   plain     Pyodide's own source standard library (the last fallback).
// Whatever the mode, everything is asked for at once: the wasm (compiled as it arrives),
// the standard library and the wheel (handed to Pyodide's own requests), each read straight
// from the service worker's cache when it keeps them.

let api = null;          // message type -> calc.registry.run_json, run_upload, run_form; redline
let booting = true;
let cause = "";          // the first concrete problem seen while booting (a file, a type)
let failed = false;
let filesReady = Promise.resolve();   // after a snapshot restore: the wheel's files written
let snapshotFrom = null;  // "cache" (a later visit) or "network" (a first visit on a fast link)

const realFetch = self.fetch.bind(self);
const BACKGROUND_DELAY_MS = 3000;  // after "ready", before the snapshot download starts
const ahead = new Map();   // address -> response promise, requested early, given to Pyodide's fetch
let compiled = null;       // promise of the compiled pyodide.asm.wasm (null when that failed)
let wasmURL = null;        // its address, once compiling it has started
let snapshotFilled = null; // promise: the snapshot's memory is complete (read and unpacked)

// When each boot step ended, in ms since the epoch (the page subtracts its own timeOrigin):
// HandbookRuntime.info().timings, read by bench/calculator_boot.py.
const timings = {};
function stamp(step) { timings[step] = performance.timeOrigin + performance.now(); }
stamp("workerStart");

function post(message) { self.postMessage(message); }

function progress(stage, bytes) { if (booting) post({ type: "progress", stage, bytes: bytes || 0 }); }

function note(problem) { if (!cause) cause = problem; }

// Report a boot failure once; calc-runtime.js then ends this worker. `fatal` failures come
// from files every boot mode needs, so no fallback is tried; `snapshotAtFault` false: a
// snapshot boot failed for another reason (the snapshot is not to be given up).
function fail(message, fatal, snapshotAtFault) {
  if (failed || !booting) return;
  failed = true;
  post({ type: "boot-error", message, fatal: !!fatal, snapshotAtFault: snapshotAtFault !== false });
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
  const key = typeof input === "string" || input instanceof URL ? new URL(input, self.location.href).href : input.url;
  let early = ahead.get(key);
  ahead.delete(key);
  if (key === wasmURL && compiled) {
    // Compiled ahead from its own request: Pyodide's gets an empty stand-in (not used, see
    // below), or, if compiling failed, the real file (its failure is then reported).
    early = compiled.then((module) => module
      ? new Response(new Uint8Array(0), { headers: { "content-type": "application/wasm" } })
      : cacheFirst(key, input, init));
  }
  let response;
  try {
    response = await (early || cacheFirst(key, input, init));
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
    if (key === "instantiateStreaming" && snapshotFilled) {
      // Pyodide reads the snapshot's memory only after this: it must be complete by then.
      try {
        await snapshotFilled;
      } catch (e) {
        fail(cause || `内存快照无法读取（${(e && e.message) || e}）`, false);
        throw e;
      }
    }
    try {
      const module = key === "instantiateStreaming" && compiled ? await compiled : null;
      if (module) {   // compiled ahead: Pyodide's stand-in response is not read
        stamp("instantiate");
        const instance = await WebAssembly.instantiate(module, args[1]);
        stamp("wasm");
        return { instance, module };
      }
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

// Everything this worker fetches sits in content-hashed folders: when the service worker
// already keeps a file, it is read from its cache here, directly. Through the service
// worker the same bytes came several times slower (the 9.6 MB wasm in 340 ms, the 4.5 MB
// standard library in 510 ms, on a repeat visit while the page itself was loading).
let controlled = false;
async function keptByServiceWorker(url) {
  if (!controlled || !self.caches) return null;
  try {
    return (await caches.match(url)) || null;
  } catch {
    return null;   // no Cache Storage here (http://, private mode)
  }
}

async function cacheFirst(key, input, init) {
  return (await keptByServiceWorker(key)) || realFetch(input, init);
}

// The wasm, compiled as it arrives, beside everything else the boot does first. A failure
// (a wrong MIME type, a truncated file) leaves it to Pyodide's own request, which reports it.
function compileAhead(url) {
  return WebAssembly.compileStreaming(self.fetch(url)).then((module) => { stamp("wasmCompiled"); return module; },
    () => null);
}

// The snapshot is published page-packed (handbook/snapshot_pages.py): its pages go back
// into `memory` (zeroed, of the full size), where no page was stored stays zero. A file in
// any other form, or of another size, cannot be restored.
function unpackPages(packed, memory) {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  if (packed.length < 20 || view.getUint32(0, false) !== 0x50414745 || view.getUint32(4, true) !== 1 ||
      view.getUint32(8, true) !== memory.length) {
    note("内存快照文件格式不对");
    throw new Error("内存快照文件格式不对");
  }
  const size = memory.length, pageSize = view.getUint32(12, true), count = view.getUint32(16, true);
  let offset = 20 + 4 * count;
  for (let i = 0; i < count; i++) {
    const start = view.getUint32(20 + 4 * i, true) * pageSize;
    const length = Math.min(pageSize, size - start);
    memory.set(packed.subarray(offset, offset + length), start);
    offset += length;
  }
  stamp("snapshotUnpacked");
}

// A first visit: ask the network for the snapshot and take it if all of it has arrived
// within budgetMs of asking (a fast link: restoring it then beats the bytecode boot); stop
// it then otherwise. Judged by the clock alone: reading it chunk by chunk here to gauge the
// rate slowed it down (this thread is busy compiling the start-up scripts, and an unread
// stream holds the download back). Resolves to its bytes or null. What was decided: `decision`.
let decision = null;
async function snapshotIfFast(url, budgetMs) {
  const controller = new AbortController();
  const asked = performance.now();
  const timer = setTimeout(() => controller.abort(), budgetMs);
  let bytes = null;
  try {
    const response = await realFetch(url, { signal: controller.signal });
    if (response.ok) bytes = new Uint8Array(await response.arrayBuffer());
  } catch { /* stopped, or no network: the bytecode boot needs neither */ }
  clearTimeout(timer);
  decision = { taken: !!bytes, ms: Math.round(performance.now() - asked), budgetMs };
  stamp(bytes ? "snapshotTaken" : "snapshotStopped");
  return bytes;
}

// Only what this browser already holds: the service worker's copy, read here directly
// (streamed through the service worker it took several times as long; only asked when a
// service worker controls the page: opening Cache Storage costs a first visit 50-300 ms),
// else the HTTP cache's, without touching the network.
async function cachedSnapshot(url) {
  const kept = await keptByServiceWorker(url);
  if (kept) return kept;
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
  controlled = !!m.controlled;
  let mode = m.mode === "plain" ? "plain" : "bytecode";
  // Everything the boot needs is asked for now, in parallel: pyodide.mjs and the script it
  // loads (the module map keeps them), the wasm (compiled as it arrives), the standard library.
  const pyodideModule = import(m.indexURL + "pyodide.mjs");
  pyodideModule.catch(() => {});
  import(m.indexURL + "pyodide.asm.mjs").catch(() => {});
  const wasm = new URL("pyodide.asm.wasm", m.indexURL).href;
  compiled = compileAhead(wasm);   // its own request is made before Pyodide's is recognised
  wasmURL = wasm;
  const stdlibURL = new URL(mode === "plain" ? m.plainStdlib : "python_stdlib.zip", m.indexURL).href;
  const stdlib = cacheFirst(stdlibURL, stdlibURL);
  ahead.set(stdlibURL, stdlib);
  const wheel = fetchBytes(m.wheelURL, "计算器程序包");
  wheel.catch(() => {});
  let memory = null;
  if (m.mode === "auto" && m.snapshotURL && m.memoryBytes) {
    const response = await cachedSnapshot(m.snapshotURL);
    stamp("snapshotFound");
    // From a cache: read while Pyodide starts; from the network: only once it is all here.
    const bytes = response ? response.arrayBuffer().then((b) => new Uint8Array(b))
      : m.snapshotBudgetMs > 0 ? await snapshotIfFast(m.snapshotURL, m.snapshotBudgetMs) : null;
    if (bytes) {
      // Read and unpacked while Pyodide starts (its script's set-up, 100-250 ms, comes first).
      mode = "snapshot";
      snapshotFrom = response ? "cache" : "network";
      memory = new Uint8Array(m.memoryBytes);
      snapshotFilled = Promise.resolve(bytes).then((packed) => unpackPages(packed, memory));
      snapshotFilled.catch(() => {});
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
  if (mode === "plain") options.stdLibURL = stdlibURL;
  if (memory) options._loadSnapshot = memory;
  const pyodide = await loadPyodide(options);
  if (failed) return;
  stamp("python");
  progress("载入计算器");
  // Pyodide only logs a standard library it could not fetch, and a snapshot boots without
  // it; but every module not imported yet is in it.
  if (!(await stdlib.then((r) => r.ok, () => false))) {
    return fail(cause || `${fileName(stdlibURL)} 无法下载`, false, false);
  }
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  let wheelBytes;
  try {
    wheelBytes = await wheel;
  } catch (e) {
    return fail(cause || String((e && e.message) || e), false, false);
  }
  const unpackWheel = () => pyodide.unpackArchive(wheelBytes, "zip", { extractDir: sitePackages });
  if (memory) {
    // calc is in the snapshot, its files (data read on first use) are not: they are written
    // once "ready" is out, before the first request is answered.
    filesReady = new Promise((resolve) => setTimeout(resolve, 0)).then(unpackWheel);
    // Every restore starts from the same state: give random (and secrets' users) new seeds.
    pyodide.runPython("import random; random.seed()");
  } else {
    unpackWheel();
  }
  const registry = pyodide.pyimport("calc.registry");
  api = { run: registry.run_json, upload: registry.run_upload, form: registry.run_form,
          compare: pyodide.pyimport("calc.redline").compare_json };
  self.handbookPython = pyodide;  // for diagnosis in the browser's console, and the tests
  booting = false;
  stamp("ready");
  post({ type: "ready", mode, snapshotFrom, snapshotDecision: decision, ms: Math.round(performance.now() - started), timings });
  if (mode !== "snapshot" && m.snapshotURL) {
    // For the next visit: into the HTTP cache (and the service worker's, when there is one).
    // A few seconds later, so that 5 MB arriving and being stored do not slow a move to
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
