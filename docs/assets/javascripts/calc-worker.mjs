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
// from the service worker's cache when it keeps them. Every file but the wasm and the two
// scripts is checked against the SHA-256 the page's build names: a damaged file, or one of
// another build, is refused with the same kind of message as a missing one.
//
// The wasm is compiled ahead from its own request, and Pyodide's request for it gets an
// empty stand-in (handbook/PRIVATE_INTERFACES.md). If Pyodide ever reads it otherwise, the
// boot fails with `standIn` and calc-runtime.js boots again with `standIn: false`: Pyodide
// then loads its wasm itself.

let api = null;          // message type -> calc.registry.run_json, run_upload_utf8, run_form; redline
let booting = true;
let cause = "";          // the first concrete problem seen while booting (a file, a type)
let failed = false;
let filesReady = Promise.resolve();   // after a snapshot restore: the wheel's files written
let snapshotFrom = null;  // "cache" (a later visit) or "network" (a first visit on a fast link)

const realFetch = self.fetch.bind(self);
const realCompileStreaming = WebAssembly.compileStreaming.bind(WebAssembly);
const BACKGROUND_DELAY_MS = 3000;  // after "ready", before the snapshot download starts
const ahead = new Map();   // address -> response promise, requested early, given to Pyodide's fetch
const expected = new Map(); // address -> { bytes, integrity }: the page's build's files
let compiled = null;       // promise of the compiled pyodide.asm.wasm (null when that failed)
let compiledModule = null; // ... once compiled
let wasmURL = null;        // its address, once compiling it has started
let snapshotFilled = null; // promise: the snapshot's memory is complete, read, checked, unpacked
let standInGiven = false;  // Pyodide's request for the wasm got the empty stand-in
let standInUsed = false;   // ... and Pyodide instantiated through the wrapper below, as expected

// When each boot step ended, in ms since the epoch (the page subtracts its own timeOrigin):
// HandbookRuntime.info().timings, read by bench/calculator_boot.py.
/** @type {Record<string, number>} */
const timings = {};
function stamp(step) { timings[step] = performance.timeOrigin + performance.now(); }
stamp("workerStart");

/** @param {WorkerMessage} message */
function post(message) { self.postMessage(message); }

// Downloads of this boot, by file name: bytes received and expected; the files still on
// their way are named if the boot stalls (not the last one that moved).
const downloads = new Map();
let lastPosted = 0;
let bootMode = null;
function fileName(url) {
  try { return decodeURIComponent(new URL(url, self.location.href).pathname.split("/").pop()); }
  catch { return String(url); }
}
function download(url) {
  const name = fileName(url);
  if (!downloads.has(name)) {
    const size = (expected.get(new URL(url, self.location.href).href) || {}).bytes || 0;
    downloads.set(name, { received: 0, bytes: size, started: false, done: false });
  }
  return downloads.get(name);
}
function progress(stage, force) {
  if (!booting || (!force && Date.now() - lastPosted < 250)) return;
  lastPosted = Date.now();
  let received = 0, total = 0;
  const pending = [];
  downloads.forEach((d, name) => {
    total += d.bytes;
    received += d.done ? d.bytes : Math.min(d.received, d.bytes);
    if (d.started && !d.done) pending.push(name);
  });
  post({ type: "progress", stage, received, total, pending, mode: bootMode });
}
function started(url) {
  const d = download(url);
  d.started = true;
  progress("下载 " + fileName(url), true);
}
function arrived(url, bytes) {
  const d = download(url);
  d.started = d.done = true;
  if (bytes !== undefined) d.received = bytes;
  progress("下载 " + fileName(url), true);
}

function note(problem) { if (!cause) cause = problem; }

// Report a boot failure once; calc-runtime.js then ends this worker. `fatal` failures come
// from files every boot mode needs, so no fallback is tried; `snapshotAtFault` false: a
// snapshot boot failed for another reason (the snapshot is not to be given up); `stdlib`:
// the bytecode standard library is what failed; `standIn`: Pyodide no longer loads its wasm
// the way the stand-in expects.
function fail(message, fatal, snapshotAtFault, extra) {
  if (failed || !booting) return;
  failed = true;
  post({ type: "boot-error", message, fatal: !!fatal, snapshotAtFault: snapshotAtFault !== false, ...extra });
}

function standInFailed() {
  fail("pyodide.asm.wasm 的载入方式已改变", false, false, { standIn: true });
}

// The same words for every file that is there but not the build's: damaged in transit or on
// the server, or left from another deploy. Files every mode needs end the boot at once.
const DAMAGED = "内容不对（文件已损坏，或不是本版手册的文件）";
function damaged(url) {
  const name = fileName(url);
  note(`${name} ${DAMAGED}`);
  if (!/\.pages$/.test(name)) {
    const stdlib = name === "python_stdlib.zip";
    fail(`${name} ${DAMAGED}`, !/^python_stdlib/.test(name), false, { stdlib });
  }
  return new Error(`${name} ${DAMAGED}`);
}

function integrityOf(url) {
  return (expected.get(url) || {}).integrity || null;
}

// SHA-256 by the browser (its own threads) where it offers it (secure contexts: https,
// localhost), else here; the files checked this way are small (the standard library, 4.5
// MB, is the largest: the snapshot is checked by the browser through `integrity`).
async function matches(bytes, integrity) {
  const digest = self.crypto && crypto.subtle ? new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))
    : sha256(bytes);
  let text = "";
  for (const b of digest) text += String.fromCharCode(b);
  return "sha256-" + btoa(text) === integrity;
}

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

function sha256(bytes) {
  const h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Int32Array(64);
  const n = bytes.length, whole = n - (n % 64);
  const tail = new Uint8Array(n % 64 < 56 ? 64 : 128);
  tail.set(bytes.subarray(whole));
  tail[n - whole] = 0x80;
  const hi = Math.floor(n / 0x20000000), lo = (n * 8) >>> 0;
  for (let i = 0; i < 4; i++) {
    tail[tail.length - 8 + i] = hi >>> (24 - 8 * i);
    tail[tail.length - 4 + i] = lo >>> (24 - 8 * i);
  }
  function blocks(p, from, to) {
    for (let at = from; at < to; at += 64) {
      for (let i = 0, j = at; i < 16; i++, j += 4) w[i] = (p[j] << 24) | (p[j + 1] << 16) | (p[j + 2] << 8) | p[j + 3];
      for (let i = 16; i < 64; i++) {
        const x = w[i - 15], y = w[i - 2];
        w[i] = ((((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + w[i - 16] +
          (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w[i - 7]) | 0;
      }
      let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (let i = 0; i < 64; i++) {
        const t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
          ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
          ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
    }
  }
  blocks(bytes, 0, whole);
  blocks(tail, 0, tail.length);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = h[i >> 2] >>> (24 - 8 * (i & 3));
  return out;
}

// A response's bytes, counted as they arrive (progress; a copy the service worker keeps
// is read at once), then checked when the build names their SHA-256; returned as a new
// response with the same status and headers.
async function checked(response, url, kept) {
  const integrity = integrityOf(url);
  if (!integrity || !response.ok) return response;
  const chunks = [];
  let length = 0;
  const d = download(url);
  d.started = true;
  if (kept) {
    const whole = new Uint8Array(await response.arrayBuffer());
    chunks.push(whole);
    length = whole.length;
  } else if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
      d.received = length;
      progress("下载 " + fileName(url));
    }
  }
  const bytes = chunks.length === 1 ? chunks[0] : new Uint8Array(length);
  if (chunks.length > 1) {
    let at = 0;
    for (const chunk of chunks) { bytes.set(chunk, at); at += chunk.length; }
  }
  arrived(url, length);
  if (!(await matches(bytes, integrity))) throw damaged(url);
  return new Response(bytes, { status: response.status, headers: response.headers });
}

// Bytes arriving are progress: count them on a clone (the original goes on untouched, so
// Chromium still caches the compiled wasm by its URL).
function countBytes(response, url) {
  if (!response.body) { arrived(url); return; }
  const reader = response.body.getReader();
  const d = download(url);
  d.started = true;
  (function pump() {
    reader.read().then(({ done, value }) => {
      if (done) { arrived(url); return; }
      if (!booting) { reader.cancel(); return; }
      d.received += value.length;
      progress("下载 " + fileName(url));
      pump();
    }, () => {});
  })();
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

// From the service worker's cache, else the network; checked either way.
async function cacheFirst(key, input, init) {
  const kept = await keptByServiceWorker(key);
  return checked(kept || await realFetch(input, init), key, !!kept);
}

// Pyodide reports a missing, mistyped or broken .wasm only as a console warning and then
// waits forever: every fetch and instantiation of the boot goes through these wrappers.
self.fetch = async function (input, init) {
  const key = typeof input === "string" || input instanceof URL ? new URL(input, self.location.href).href : input.url;
  const name = fileName(key);
  started(key);
  let early = ahead.get(key);
  ahead.delete(key);
  const counted = !!early;   // requested ahead: its bytes are counted already
  if (key === wasmURL && compiled) {
    // Compiled ahead from its own request: Pyodide's gets an empty stand-in (not read, see
    // below), or, if compiling failed, the real file (its failure is then reported).
    early = compiled.then((module) => (module ? standIn() : cacheFirst(key, input, init)));
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
  } else if (booting && !counted && !integrityOf(key) && !(standInGiven && key === wasmURL)) {
    countBytes(response.clone(), key);
  }
  return response;
};

// A request made ahead by the worker itself (not through the wrapper above): its bytes count.
function tracked(url, promise) {
  started(url);
  promise.then((r) => { if (booting && r.ok && !integrityOf(url)) countBytes(r.clone(), url); }, () => {});
  return promise;
}

// An empty response in place of the wasm, which only the instantiateStreaming wrapper
// below should meet: read any other way, Pyodide's way of loading its wasm has changed.
function standIn() {
  standInGiven = true;
  const response = new Response(new Uint8Array(0), { headers: { "content-type": "application/wasm" } });
  for (const method of ["arrayBuffer", "blob", "bytes", "text", "json", "formData"]) {
    response[method] = () => { standInFailed(); return Promise.reject(new Error("stand-in read")); };
  }
  return response;
}

// Pyodide also instantiates small helper modules of its own: those are left alone.
function helperModule(key, source) {
  if (key.endsWith("Streaming")) return false;
  if (source instanceof WebAssembly.Module) return source !== compiledModule;
  const size = source && source.byteLength;
  return typeof size === "number" && size > 0 && size < (1 << 20);
}

for (const key of ["instantiateStreaming", "instantiate", "compileStreaming", "compile"]) {
  const real = WebAssembly[key];
  WebAssembly[key] = async function (...args) {
    if (helperModule(key, args[0])) return real.apply(WebAssembly, args);
    if (key.startsWith("instantiate") && snapshotFilled) {
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
        standInUsed = true;
        stamp("instantiate");
        const instance = await WebAssembly.instantiate(module, args[1]);
        stamp("wasm");
        return { instance, module };
      }
      return await real.apply(WebAssembly, args);
    } catch (e) {
      if (standInGiven && !standInUsed) standInFailed();
      else fail(cause || `pyodide.asm.wasm 不完整或已损坏，无法编译（${(e && e.message) || e}）`, true);
      throw e;
    }
  };
}

async function fetchBytes(url) {
  const response = await self.fetch(url);
  if (!response.ok) throw new Error(`${fileName(url)} 无法下载（服务器答复 HTTP ${response.status}）`);
  return new Uint8Array(await response.arrayBuffer());
}

// The wasm, compiled as it arrives, beside everything else the boot does first. A failure
// (a wrong MIME type, a truncated file) leaves it to Pyodide's own request, which reports it.
function compileAhead(url) {
  return realCompileStreaming(self.fetch(url)).then((module) => {
    stamp("wasmCompiled");
    compiledModule = module;
    return module;
  }, () => null);
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
// stream holds the download back). Resolves to its bytes or null (checked afterwards,
// beside the unpacking: snapshotIntact). What was decided: `decision`.
let decision = null;
async function snapshotIfFast(url, budgetMs) {
  const controller = new AbortController();
  const asked = performance.now();
  const timer = setTimeout(() => controller.abort(), budgetMs);
  let bytes = null;
  started(url);
  try {
    const response = await realFetch(url, { signal: controller.signal });
    if (response.ok) bytes = new Uint8Array(await response.arrayBuffer());
  } catch { /* stopped, or no network: the bytecode boot needs neither */ }
  clearTimeout(timer);
  if (bytes) arrived(url, bytes.length); else downloads.delete(fileName(url));
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

// Whether the snapshot's bytes are the build's, however they came (13 MB: checked beside the
// unpacking, by the browser on its own threads). Without SubtleCrypto (plain http) the
// browser checks its cached copy against `integrity`; only if it holds none, here.
async function snapshotIntact(bytes, url) {
  const integrity = integrityOf(url);
  if (!integrity) return true;
  if (self.crypto && crypto.subtle) return matches(bytes, integrity);
  const cached = (extra) => realFetch(url, { cache: "only-if-cached", mode: "same-origin", ...extra });
  try {
    return (await cached({ integrity })).ok;
  } catch {
    if (await cached({}).then((r) => r.ok, () => false)) return false;   // there, but refused
  }
  return matches(bytes, integrity);
}

// A damaged snapshot kept by the service worker is dropped, so that it is fetched again.
async function forget(url) {
  try {
    for (const name of await caches.keys()) {
      if (name.startsWith("handbook-")) await (await caches.open(name)).delete(url);
    }
  } catch { /* no Cache Storage */ }
}

/** @param {BootOrder} m */
async function boot(m) {
  const bootStarted = performance.now();
  stamp("bootStart");
  controlled = !!m.controlled;
  Object.entries(m.files || {}).forEach(([url, spec]) => expected.set(url, spec));
  let mode = m.mode === "plain" ? "plain" : "bytecode";
  const wasm = new URL("pyodide.asm.wasm", m.indexURL).href;
  const stdlibURL = new URL(mode === "plain" ? m.plainStdlib : "python_stdlib.zip", m.indexURL).href;
  for (const url of [wasm, stdlibURL, new URL("pyodide-lock.json", m.indexURL).href, m.wheelURL, m.registerURL]) {
    download(url);   // what this boot downloads, for the progress shown while it does
  }
  // Everything the boot needs is asked for now, in parallel: pyodide.mjs and the script it
  // loads (the module map keeps them), the wasm (compiled as it arrives), the standard library.
  const pyodideModule = import(m.indexURL + "pyodide.mjs");
  pyodideModule.catch(() => {});
  import(m.indexURL + "pyodide.asm.mjs").catch(() => {});
  if (m.standIn !== false) {
    compiled = compileAhead(wasm);   // its own request is made before Pyodide's is recognised
    wasmURL = wasm;
  }
  const stdlib = tracked(stdlibURL, cacheFirst(stdlibURL, stdlibURL));
  stdlib.catch(() => {});
  ahead.set(stdlibURL, stdlib);
  const wheel = fetchBytes(m.wheelURL);
  wheel.catch(() => {});
  const register = fetchBytes(m.registerURL);
  register.catch(() => {});
  let memory = null;
  if (m.mode === "auto" && m.snapshotURL && m.memoryBytes) {
    const found = await cachedSnapshot(m.snapshotURL);
    stamp("snapshotFound");
    // From a cache: read while Pyodide starts; from the network: only once it is all here.
    const bytes = found ? found.arrayBuffer().then((b) => new Uint8Array(b))
      : m.snapshotBudgetMs > 0 ? await snapshotIfFast(m.snapshotURL, m.snapshotBudgetMs) : null;
    if (bytes) {
      // Read, checked and unpacked while Pyodide starts (its script's set-up, 100-250 ms,
      // comes first); the check runs on the browser's own threads beside the unpacking.
      mode = "snapshot";
      snapshotFrom = found ? "cache" : "network";
      if (found) download(m.snapshotURL);
      memory = new Uint8Array(m.memoryBytes);
      const packed = Promise.resolve(bytes);
      const whole = packed.then(async (b) => {
        arrived(m.snapshotURL, b.length);
        if (!(await snapshotIntact(b, m.snapshotURL))) {
          note(`内存快照 ${DAMAGED}`);
          forget(m.snapshotURL);
          throw new Error(`内存快照 ${DAMAGED}`);
        }
      });
      snapshotFilled = Promise.all([whole, packed.then((b) => unpackPages(b, memory))]);
      snapshotFilled.catch(() => {});
    }
  }
  bootMode = mode;
  progress("pyodide.mjs", true);
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
  progress("载入计算器", true);
  // Pyodide only logs a standard library it could not fetch, and a snapshot boots without
  // it; but every module not imported yet is in it.
  if (!(await stdlib.then((r) => r.ok, () => false))) {
    return fail(cause || `${fileName(stdlibURL)} 无法下载`, false, false, { stdlib: mode !== "plain" });
  }
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  let wheelBytes, registerBytes;
  try {
    [wheelBytes, registerBytes] = await Promise.all([wheel, register]);
  } catch (e) {
    // Every mode needs both: no fallback would help.
    return fail(cause || String((e && e.message) || e), true, false);
  }
  // The wheel, then the register of versions of this build (not in the wheel: an editorial
  // release changes it alone), where calc/parameters.py reads it.
  const unpackWheel = () => {
    pyodide.unpackArchive(wheelBytes, "zip", { extractDir: sitePackages });
    pyodide.FS.writeFile(`${sitePackages}/calc/register.json`, registerBytes);
  };
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
  api = { run: registry.run_json, upload: utf8Answer(registry.run_upload_utf8), form: registry.run_form,
          compare: pyodide.pyimport("calc.redline").compare_json };
  booting = false;
  stamp("ready");
  post({ type: "ready", mode, snapshotFrom, snapshotDecision: decision, ms: Math.round(performance.now() - bootStarted), timings });
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

// An upload's answer comes from Python as UTF-8 bytes, decoded here: Pyodide turns a
// Python str holding Chinese into a JavaScript string far more slowly (about a second for
// the 8 MB answer of 100,000 customers; TextDecoder takes 40 ms).
const utf8 = new TextDecoder();
/** @param {(name: string, data: Uint8Array) => any} call a Python function answering bytes */
function utf8Answer(call) {
  return (/** @type {string} */ name, /** @type {Uint8Array} */ data) => {
    const bytes = call(name, data);   // a PyProxy of the bytes
    try {
      return utf8.decode(bytes.toJs());
    } finally {
      bytes.destroy();
    }
  };
}

/** @param {WorkerRequest} m @returns {string} */
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

/** @param {{ data: BootOrder | WorkerRequest }} ev */
async function onMessage(ev) {
  const m = ev.data;
  if (m.type === "boot") {
    try {
      await boot(m);
    } catch (e) {
      if (standInGiven && !standInUsed) return standInFailed();
      // Pyodide's own words for a missing standard library are "exit(1)": name the file
      // when one was refused; otherwise say that Python could not start, without its words.
      fail(cause || "Python 无法启动（计算引擎的文件不完整或不是本版手册的文件）", false);
    }
  } else if (m.id !== undefined) {   // a request: always answered, if only with an error
    await filesReady.catch(() => {});
    const json = run(m);
    if (m.type === "upload") {
      // A file's answer (8 MB for 100,000 customers) is parsed here, off the page's main
      // thread, where parsing it was a task of 50-170 ms; the page gets a copy of the object.
      post({ type: "result", id: m.id, answer: JSON.parse(json), size: json.length });
    } else {
      post({ type: "result", id: m.id, json });
    }
  }
}

self.onmessage = onMessage;
// The boot order comes in the worker's name (calc-runtime.js): a message posted before the
// worker runs reaches it only when the page's main thread is free again, which on a first
// view (the theme's scripts running) was 200-300 ms later.
if (self.name.startsWith("{")) onMessage({ data: JSON.parse(self.name) });
