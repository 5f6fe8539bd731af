/*
 * The calculators' runtime, shared by calculator.js (forms) and revisions.js (the
 * comparison picker): window.HandbookRuntime.
 *
 * Python runs in a module Web Worker (calc-worker.mjs) on the site's own Pyodide, started
 * only by a page that holds a calculator and kept across Material's instant navigation.
 * The engine is always of the page's build: each calculator page carries its build's
 * runtime configuration (handbook/runtime.py, written by overrides/main.html), and a page
 * of another build (a deploy while the tab was open) gets an engine of its own build before
 * any calculation. A boot that fails or stalls ends in state "error" with the cause in
 * Chinese (retry() starts again); a worker that dies or stops answering after boot is
 * detected by a time limit per request, its pending requests are answered with an error,
 * and it is restarted. This script also registers the site's service worker (offline use).
 */
(function () {
  "use strict";

  // Loaded twice on a calculator page: early (async, from <head>, see overrides/main.html)
  // and before the theme's scripts; whichever runs first is the runtime.
  if (window.HandbookRuntime) return;
  var script = /** @type {HTMLScriptElement} */ (document.currentScript);
  var early = !!(script && script.hasAttribute("data-early"));

  // Boot timeline (ms since navigation start), for the benchmark: info().timings.
  var timings = { runtimeScript: performance.now() };
  var ASSETS = new URL("../", script.src);
  var SERVICE_WORKER = new URL("../sw.js", ASSETS);
  // Used when a page's configuration names none (the build writes handbook/runtime.py's).
  var DEFAULT_SETTINGS = { bootStallMs: 20000, requestTimeoutMs: 120000, firstVisitSnapshotMs: 700 };
  var SNAPSHOT_FAILED = "handbook-snapshot-failed";     // the snapshot that could not be restored
  var STAND_IN_FAILED = "handbook-wasm-stand-in-failed"; // the Pyodide whose wasm loading changed

  // The runtime configuration of the page's build: the copy in the page's content (swapped
  // in by instant navigation), or, before the body is parsed, the early script's own.
  /** @returns {RuntimeBuild | null} */
  function pageBuild() {
    var holder = document.querySelector("[data-md-component=container] [data-calc-runtime]") ||
      document.querySelector("[data-calc-runtime]") || (early && script);
    if (!holder) return null;
    try { return JSON.parse(holder.getAttribute("data-calc-runtime")); } catch (e) { return null; }
  }
  // What decides the answers: the calculators' code and parameters (the wheel) and the
  // register of released versions.
  /** @param {RuntimeBuild | null} build */
  function rulesOf(build) {
    return build ? build.wheel + " " + build.register : "";
  }
  function asset(path) {
    return new URL(path, ASSETS).href;
  }

  /**
   * @type {{ worker: Worker | null, ready: Promise<void> | null, state: "idle" | RuntimeState, error: string,
   *   build: RuntimeBuild | null, mode: string | null, bootMs: number | null, snapshotCached: boolean,
   *   snapshotFrom?: string | null, snapshotDecision?: SnapshotDecision | null, standIn: boolean,
   *   boots: number, progress: RuntimeProgress, kept?: string[] }}
   */
  var rt = { worker: null, ready: null, state: "idle", error: "", build: null, mode: null,
             bootMs: null, snapshotCached: false, standIn: true, boots: 0,
             progress: { received: 0, total: 0, pending: [] } };
  var listeners = [];
  var progressListeners = [];
  var pending = new Map();
  var nextId = 1;

  function settings() {
    return Object.assign({}, DEFAULT_SETTINGS, (rt.build && rt.build.settings) || {});
  }

  /** @param {RuntimeState} state @param {string} [error] */
  function setState(state, error) {
    rt.state = state;
    rt.error = error || "";
    listeners.forEach(function (fn) { fn(rt.state, rt.error); });
  }

  /** @param {RuntimeProgress} p */
  function setProgress(p) {
    rt.progress = p;
    progressListeners.forEach(function (fn) { fn(p); });
  }

  function remember(key, value) {
    try { if (value) localStorage.setItem(key, value); else localStorage.removeItem(key); } catch (e) { /* private mode */ }
  }
  function recall(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }

  function failPending(message) {
    pending.forEach(function (p) { clearTimeout(p.timer); p.reject(new Error(message)); });
    pending.clear();
  }

  function stopWorker() {
    if (rt.worker) {
      rt.worker.onmessage = rt.worker.onerror = null;
      rt.worker.terminate();
      rt.worker = null;
    }
  }

  // The build's files by absolute address: size, and SHA-256 where the worker checks it.
  /** @param {RuntimeBuild} build @returns {Record<string, RuntimeFile>} */
  function files(build) {
    /** @type {Record<string, RuntimeFile>} */
    var out = {};
    Object.keys(build.files || {}).forEach(function (path) { out[asset(path)] = build.files[path]; });
    return out;
  }

  // One boot attempt in a fresh worker; resolves on "ready", rejects with {message, fatal,
  // snapshotAtFault, standIn, stdlib}.
  /** @param {BootMode} mode @param {boolean} standIn @returns {Promise<void>} */
  function attempt(mode, standIn) {
    var build = rt.build, limits = settings();
    return new Promise(function (resolve, reject) {
      var worker;
      /** @type {BootOrder} */
      var order = {
        type: "boot", mode: mode, standIn: standIn,
        indexURL: asset(build.runtime),
        plainStdlib: build.plainStdlib,
        snapshotURL: build.snapshot && mode === "auto" ? asset(build.snapshot) : null,
        memoryBytes: build.memoryBytes,
        controlled: !!(navigator.serviceWorker && navigator.serviceWorker.controller),
        snapshotBudgetMs: limits.firstVisitSnapshotMs,
        wheelURL: asset(build.wheel),
        registerURL: asset(build.register),
        files: files(build)
      };
      try {
        // The boot order rides in the name: the worker reads it as it starts (see its end).
        worker = new Worker(asset(build.worker), { type: "module", name: JSON.stringify(order) });
      } catch (e) {
        reject({ message: "无法启动后台计算线程（" + e.message + "）", fatal: true });
        return;
      }
      rt.worker = worker;
      timings.workerCreated = performance.now();
      var stage = "启动", waiting = [], lastProgress = Date.now();
      var watchdog = setInterval(function () {
        if (rt.worker !== worker) { clearInterval(watchdog); return; }   // given up (another build's page)
        if (Date.now() - lastProgress > limits.bootStallMs) {
          // Name what is still on its way, not the last file that moved.
          var what = waiting.length ? "下载 " + waiting.join("、") : stage.indexOf("下载") === 0 ? "启动计算引擎" : stage;
          finish(reject, { message: "加载超时：" + what + " 已 " + Math.round(limits.bootStallMs / 1000) +
            " 秒没有进展（网络中断或服务器无响应）", fatal: true });
        }
      }, 500);
      function finish(settle, value) {
        clearInterval(watchdog);
        if (rt.worker !== worker) return;
        worker.onmessage = onMessage;
        worker.onerror = onWorkerError;
        if (settle !== resolve) stopWorker();
        settle(value);
      }
      worker.onmessage = function (ev) {
        /** @type {WorkerMessage} */
        var m = ev.data;
        if (m.type === "progress") {
          lastProgress = Date.now();
          stage = m.stage;
          waiting = m.pending || [];
          if (m.mode) rt.mode = m.mode;
          setProgress({ received: m.received || 0, total: m.total || 0, pending: waiting });
        }
        else if (m.type === "ready") {
          rt.mode = m.mode;
          rt.bootMs = m.ms;
          rt.snapshotFrom = m.snapshotFrom || null;
          rt.snapshotDecision = m.snapshotDecision || null;
          if (m.snapshotFrom === "network") rt.snapshotCached = true;  // in the HTTP cache now
          var done = m.timings || {};
          Object.keys(done).forEach(function (k) { timings[k] = done[k] - performance.timeOrigin; });
          timings.readySeen = performance.now();
          finish(resolve);
        }
        else if (m.type === "boot-error") {
          finish(reject, { message: m.message, fatal: m.fatal, snapshotAtFault: m.snapshotAtFault !== false,
                           standIn: !!m.standIn, stdlib: !!m.stdlib });
        }
      };
      worker.onerror = function (e) {
        if (e.preventDefault) e.preventDefault();
        finish(reject, { message: "后台计算线程无法载入（" + (e.message || "calc-worker.mjs") + "）", fatal: true });
      };
    });
  }

  // auto (snapshot when held, else bytecode) -> bytecode -> plain, until one boots. A
  // failure of a file every mode needs (the wasm, the wheel) or a stall ends the chain at
  // once. If Pyodide no longer loads its wasm the way the worker's stand-in expects, the
  // same mode is tried again without it (remembered for this Pyodide). The message is the
  // first failure's, unless a later one is of a file every mode needs (the real blocker).
  function bootChain() {
    var build = rt.build;
    /** @type {BootMode[]} */
    var modes = build.snapshot && recall(SNAPSHOT_FAILED) !== build.snapshot ? ["auto", "bytecode", "plain"] : ["bytecode", "plain"];
    var errors = [];
    rt.standIn = recall(STAND_IN_FAILED) !== build.runtime;
    function report() {
      var last = errors[errors.length - 1];
      return new Error(last.fatal ? last.message : errors[0].message);
    }
    function next(i) {
      return attempt(modes[i], rt.standIn).catch(function (e) {
        if (e.standIn && rt.standIn) {
          rt.standIn = false;
          remember(STAND_IN_FAILED, build.runtime);
          return next(i);
        }
        errors.push(e);
        if (modes[i] === "auto" && rt.mode === "snapshot" && e.snapshotAtFault !== false) {
          remember(SNAPSHOT_FAILED, build.snapshot);
        }
        var j = i + 1;
        if (modes[i] === "auto" && rt.mode !== "snapshot") j++;   // "auto" was already a bytecode boot
        if (e.stdlib && modes[j] === "bytecode") j++;             // its standard library is what failed
        if (e.fatal || j >= modes.length) throw report();
        return next(j);
      });
    }
    return next(0);
  }

  /** @param {MessageEvent<WorkerMessage>} ev */
  function onMessage(ev) {
    var m = ev.data;
    if (m.type === "result" && pending.has(m.id)) {
      var p = pending.get(m.id);
      pending.delete(m.id);
      clearTimeout(p.timer);
      try {
        p.resolve("answer" in m ? m.answer : JSON.parse(m.json));   // an upload's answer comes parsed
      } catch (e) {
        p.reject(e);
      }
    } else if (m.type === "snapshot-cached") {
      rt.snapshotCached = true;
      remember(SNAPSHOT_FAILED, null);
      keepForOffline();
    }
  }

  function onWorkerError(e) {
    if (e && e.preventDefault) e.preventDefault();
    restart("计算引擎意外停止（" + ((e && e.message) || "后台线程出错") + "），已重新启动，请再试一次");
  }

  // A dead or hung worker: answer what it held with an error, start a new one.
  function restart(message) {
    stopWorker();
    failPending(message);
    start(rt.build);
  }

  var FILE_MESSAGE = "本手册不能直接从文件（file://）打开，计算器需要经由 Web 服务器访问：" +
    "请打开内网上的手册地址，或在手册目录运行 python3 -m http.server 后访问 http://127.0.0.1:8000/";

  // From file:// the theme's own scripts may never start the page's scripts: say it here.
  if (location.protocol === "file:") {
    document.addEventListener("DOMContentLoaded", function () {
      document.querySelectorAll("[data-calculator], [data-revision-picker]").forEach(/** @param {HTMLElement} root */ function (root) {
        root.dataset.state = "error";
        var status = /** @type {HTMLElement | null} */ (root.querySelector(".calc__status, .picker__status"));
        if (status) { status.dataset.state = "error"; status.textContent = "出错"; }
        var box = /** @type {HTMLElement | null} */ (root.querySelector(".calc__error")) || status;
        if (box) { box.textContent = FILE_MESSAGE; box.hidden = false; }
      });
    });
  }

  /** @param {RuntimeBuild | null} build */
  function start(build) {
    rt.build = build;
    rt.mode = null;
    rt.boots++;
    setProgress({ received: 0, total: 0, pending: [] });
    setState("loading", "");
    if (location.protocol === "file:") {
      rt.ready = Promise.reject(new Error(FILE_MESSAGE));
    } else if (!build || !build.wheel || !build.runtime) {
      rt.ready = Promise.reject(new Error("网站构建不完整：页面缺少计算器运行时配置，请重新构建"));
    } else {
      rt.ready = bootChain();
    }
    var boots = rt.boots;   // a boot given up for another build's no longer sets the state
    rt.ready.then(function () { if (rt.boots === boots) setState("ready", ""); },
                  function (e) { if (rt.boots === boots) setState("error", e.message); });
    rt.ready.catch(function () {});
    return rt.ready;
  }

  // Called by each page that holds a calculator (and by send): an engine of the page's
  // build. A page of another build than the running engine's (a deploy while this tab was
  // open, followed by instant navigation) stops that engine: what it still had to answer
  // gets an error, and the page's own build boots.
  function boot() {
    var wanted = pageBuild();
    if (rt.state === "idle") return start(wanted);
    if (!wanted || rulesOf(wanted) === rulesOf(rt.build)) return rt.ready;
    stopWorker();
    failPending("手册已更新，计算引擎正按新版本重新加载，请再算一次");
    return start(wanted);
  }

  function retry() {
    if (rt.state !== "error") return rt.ready;
    stopWorker();
    return start(pageBuild() || rt.build);
  }

  /** @param {WorkerRequest} message @param {Transferable[]} [transfer] @returns {Promise<any>} */
  function send(message, transfer) {
    boot();   // never answered by an engine of another build than the page's
    var timeoutMs = settings().requestTimeoutMs;
    return rt.ready.then(function () {
      return new Promise(function (resolve, reject) {
        message.id = nextId++;
        var timer = setTimeout(function () {
          if (!pending.has(message.id)) return;
          restart("计算引擎超过 " + Math.round(timeoutMs / 1000) + " 秒没有答复，已重新启动，请再试一次");
        }, timeoutMs);
        pending.set(message.id, { resolve: resolve, reject: reject, timer: timer });
        rt.worker.postMessage(message, transfer || []);
      });
    });
  }

  /** @param {string} name @param {unknown} input */
  function call(name, input) {
    return send({ type: "run", name: name, input: JSON.stringify(input) });
  }

  // The file's bytes go to Python as they are: decoding (UTF-8, GB18030) happens there.
  /** @param {string} name @param {File} file @returns {Promise<TieringAnswer>} */
  function upload(name, file) {
    return file.arrayBuffer().then(function (buffer) {
      return send({ type: "upload", name: name, data: buffer }, [buffer]);
    });
  }

  /** @param {(state: RuntimeState, error: string) => void} fn */
  function onState(fn) {
    listeners.push(fn);
  }

  /** @param {(progress: RuntimeProgress) => void} fn */
  function onProgress(fn) {
    progressListeners.push(fn);
  }

  // The theme builds its search index in a worker as each page opens: on this handbook
  // 0.4-1 s of CPU, which on 2 cores was taken from the calculators' boot. On a calculator
  // page (this script then runs before the theme's) the index is built a few seconds after
  // the calculator is ready (not during a move to the next calculator page right after) or
  // at once if it failed, at once when someone turns to search (the theme sends no query
  // before its index is set up, so the search box's focus or its toggle is the sign; a
  // message other than the set-up, type 0, too), and after 10 s in any case.
  var SEARCH_SETUP = 0, SEARCH_AFTER_READY_MS = 3000, SEARCH_AT_THE_LATEST_MS = 10000;
  function deferSearchIndex() {
    var RealWorker = window.Worker;
    if (!RealWorker) return;
    // The theme's own worker, wrapped: not typed (handbook/PRIVATE_INTERFACES.md).
    window.Worker = /** @type {any} */ (function (url, options) {
      var worker = new RealWorker(url, options);
      if (String(url).indexOf("/workers/search.") < 0) return worker;
      var post = worker.postMessage.bind(worker), held = [];
      function release() {
        if (!held) return;
        var queued = held;
        held = null;
        queued.forEach(function (args) { post.apply(null, args); });
      }
      worker.postMessage = function (message) {
        if (held && !(message && message.type === SEARCH_SETUP)) release();
        if (held) held.push(arguments); else post.apply(null, arguments);
      };
      function settled(state) {
        if (state === "error") release();
        else if (state === "ready") setTimeout(release, SEARCH_AFTER_READY_MS);
      }
      onState(settled);
      settled(rt.state);
      setTimeout(release, SEARCH_AT_THE_LATEST_MS);
      /** @param {Event} ev */
      function turnedToSearch(ev) {
        var target = /** @type {Element} */ (ev.target);
        if (target && target.closest && target.closest(".md-search, [for='__search'], #__search")) release();
      }
      document.addEventListener("focusin", turnedToSearch, true);
      document.addEventListener("click", turnedToSearch, true);
      return worker;
    });
    window.Worker.prototype = RealWorker.prototype;
  }

  // Offline use: the service worker (handbook/sw.js) keeps the runtime, the pages visited
  // and the site's pages listed at build time. Registered after the page has loaded, and
  // only where browsers allow it (https or localhost). What was loaded before it took
  // control is sent to it to keep.
  var keepTimer = null, registered = false;
  function runtimeURLs() {
    var build = rt.build;
    if (!build || rt.state !== "ready") return [];
    var urls = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json",
      rt.mode === "plain" ? build.plainStdlib : "python_stdlib.zip"].map(function (f) { return asset(build.runtime + f); });
    urls.push(asset(build.wheel), asset(build.register), asset(build.worker));
    if (build.snapshot && (rt.snapshotCached || rt.mode === "snapshot")) urls.push(asset(build.snapshot));
    return urls;
  }
  function keepForOffline() {
    if (!registered || rt.state === "loading") return;   // a calculator's boot comes first
    clearTimeout(keepTimer);
    keepTimer = setTimeout(function () {
      navigator.serviceWorker.ready.then(function (registration) {
        var urls = [location.href.split("#")[0]];
        performance.getEntriesByType("resource").forEach(function (e) { urls.push(e.name); });
        urls = urls.concat(runtimeURLs()).filter(function (u) { return u.indexOf(location.origin + "/") === 0; });
        registration.active.postMessage({ type: "keep", urls: urls });
      });
    }, 300);
  }
  function registerServiceWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.addEventListener("message", function (ev) {
      if (ev.data && ev.data.type === "kept") rt.kept = ev.data.urls;
    });
    navigator.serviceWorker.register(SERVICE_WORKER.href, { scope: new URL("./", SERVICE_WORKER).pathname }).then(function () {
      registered = true;
      // Storing the runtime (8 MB) and the site's pages waits a little: a quick move to
      // the next page, and a calculator's boot, come first.
      if (rt.state !== "loading") setTimeout(keepForOffline, 2000);
      onState(function (state) { if (state !== "loading") setTimeout(keepForOffline, 2000); });
      if (window.document$) window.document$.subscribe(keepForOffline);
    }, function () {});
  }
  if (document.readyState === "complete") registerServiceWorker();
  else window.addEventListener("load", registerServiceWorker);

  // Start at once on a page that holds a calculator: the page's scripts wait for the
  // theme to start (hundreds of ms on a first view); the runtime need not. From <head>
  // (before the body is parsed) the early script carries the page's configuration: the
  // worker then starts about half a second sooner than from the end of the body.
  if (pageBuild()) {
    boot();
    if (!window.document$) deferSearchIndex();   // this script runs before the theme's
  }

  window.HandbookRuntime = {
    boot: boot,
    send: send,
    call: call,
    upload: upload,
    retry: retry,
    onState: onState,
    onProgress: onProgress,
    state: function () { return rt.state === "idle" ? "loading" : rt.state; },
    error: function () { return rt.error; },
    // The engine's download: bytes received of the total this boot fetches, and the files
    // still on their way (calc-progress.js shows it).
    progress: function () { return rt.progress; },
    // For the benchmark and diagnosis: how the runtime booted.
    info: function () {
      return { mode: rt.mode, snapshotFrom: rt.snapshotFrom || null, snapshotDecision: rt.snapshotDecision || null,
               bootMs: rt.bootMs, standIn: rt.standIn, boots: rt.boots,
               wheel: rt.build && rt.build.wheel, register: rt.build && rt.build.register,
               snapshotCached: rt.snapshotCached, state: rt.state, kept: rt.kept || 0,
               timings: timings };
    }
  };
})();
