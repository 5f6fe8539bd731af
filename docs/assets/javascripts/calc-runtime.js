/*
 * The calculators' runtime, shared by calculator.js (forms) and revisions.js (the
 * comparison picker): window.HandbookRuntime.
 *
 * Python runs in a module Web Worker (calc-worker.mjs) on the site's own Pyodide, started
 * only by a page that holds a calculator and kept across Material's instant navigation.
 * A boot that fails or stalls ends in state "error" with the cause in Chinese (retry()
 * starts again); a worker that dies or stops answering after boot is detected by a time
 * limit per request, its pending requests are answered with an error, and it is restarted.
 * This script also registers the site's service worker (offline use).
 */
(function () {
  "use strict";

  // Loaded twice on a calculator page: early (async, from <head>, see overrides/main.html)
  // and with the theme's scripts; whichever runs first is the runtime.
  if (window.HandbookRuntime) return;
  var early = !!(document.currentScript && document.currentScript.hasAttribute("data-early"));

  // Boot timeline (ms since navigation start), for the benchmark: info().timings.
  var timings = { runtimeScript: performance.now() };
  var ASSETS = new URL("../", document.currentScript.src);
  // Written at build time by handbook/runtime.py: the content-hashed runtime folder, the
  // bytecode and source standard libraries, the snapshot, the service worker.
  var CONFIG = /*@HANDBOOK_RUNTIME@*/null;
  var settings = {
    bootStallMs: 20000,       // no byte and no step for this long: the boot is stuck
    requestTimeoutMs: 120000, // one calculation (a large upload takes tens of seconds)
    // A first visit takes the snapshot when all of it arrives within this time of asking (a
    // fast link: restoring it then beats the bytecode boot, which it delays by at most this
    // long; the worker stops it otherwise); 0: first visits always boot on the bytecode.
    firstVisitSnapshotMs: 700
  };
  // A page may set window.HandbookRuntimeSettings before this script runs (the tests do:
  // a first visit that must take, or must not take, the snapshot).
  Object.assign(settings, window.HandbookRuntimeSettings || {});
  var SNAPSHOT_FAILED = "handbook-snapshot-failed";

  var rt = { worker: null, ready: null, state: "idle", error: "", wheelURL: null,
             mode: null, bootMs: null, snapshotCached: false };
  var listeners = [];
  var pending = new Map();
  var nextId = 1;

  function setState(state, error) {
    rt.state = state;
    rt.error = error || "";
    listeners.forEach(function (fn) { fn(rt.state, rt.error); });
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

  // One boot attempt in a fresh worker; resolves on "ready", rejects with {message, fatal}.
  function attempt(mode) {
    return new Promise(function (resolve, reject) {
      var worker;
      var order = {
        type: "boot", mode: mode,
        indexURL: new URL(CONFIG.runtime, ASSETS).href,
        plainStdlib: CONFIG.plainStdlib,
        snapshotURL: CONFIG.snapshot && mode === "auto" ? new URL(CONFIG.snapshot, ASSETS).href : null,
        memoryBytes: CONFIG.memoryBytes,
        controlled: !!(navigator.serviceWorker && navigator.serviceWorker.controller),
        snapshotBudgetMs: settings.firstVisitSnapshotMs,
        wheelURL: rt.wheelURL
      };
      try {
        // The boot order rides in the name: the worker reads it as it starts (see its end).
        worker = new Worker(new URL("javascripts/calc-worker.mjs", ASSETS), { type: "module", name: JSON.stringify(order) });
      } catch (e) {
        reject({ message: "无法启动后台计算线程（" + e.message + "）", fatal: true });
        return;
      }
      rt.worker = worker;
      timings.workerCreated = performance.now();
      var stage = "启动", lastProgress = Date.now();
      var watchdog = setInterval(function () {
        if (Date.now() - lastProgress > settings.bootStallMs) {
          finish(reject, { message: "加载超时：" + stage + " 已 " + Math.round(settings.bootStallMs / 1000) +
            " 秒没有进展（网络中断或服务器无响应）", fatal: true });
        }
      }, 500);
      function finish(settle, value) {
        clearInterval(watchdog);
        worker.onmessage = onMessage;
        worker.onerror = onWorkerError;
        if (settle !== resolve) stopWorker();
        settle(value);
      }
      worker.onmessage = function (ev) {
        var m = ev.data;
        if (m.type === "progress") {
          lastProgress = Date.now();
          stage = m.stage;
          if (m.mode) rt.mode = m.mode;
        }
        else if (m.type === "ready") {
          rt.mode = m.mode;
          rt.bootMs = m.ms;
          rt.snapshotFrom = m.snapshotFrom || null;
          rt.snapshotDecision = m.snapshotDecision || null;
          if (m.snapshotFrom === "network") rt.snapshotCached = true;  // in the HTTP cache now
          Object.keys(m.timings || {}).forEach(function (k) { timings[k] = m.timings[k] - performance.timeOrigin; });
          timings.readySeen = performance.now();
          finish(resolve);
        }
        else if (m.type === "boot-error") {
          finish(reject, { message: m.message, fatal: m.fatal, snapshotAtFault: m.snapshotAtFault !== false });
        }
      };
      worker.onerror = function (e) {
        if (e.preventDefault) e.preventDefault();
        finish(reject, { message: "后台计算线程无法载入（" + (e.message || "calc-worker.mjs") + "）", fatal: true });
      };
    });
  }

  // auto (snapshot when held, else bytecode) -> bytecode -> plain, until one boots. A
  // failure of a file every mode needs (the wasm) or a stall ends the chain at once.
  function bootChain() {
    var modes = recall(SNAPSHOT_FAILED) === CONFIG.buildId ? ["bytecode", "plain"] : ["auto", "bytecode", "plain"];
    var first = null;
    function next(i) {
      return attempt(modes[i]).catch(function (e) {
        if (!first) first = e.message;
        if (modes[i] === "auto" && rt.mode === "snapshot" && e.snapshotAtFault !== false) {
          remember(SNAPSHOT_FAILED, CONFIG.buildId);
        }
        if (e.fatal || i + 1 >= modes.length) throw new Error(first);
        if (modes[i] === "auto" && modes[i + 1] === "bytecode" && rt.mode !== "snapshot") {
          return next(i + 2);  // "auto" was already a bytecode boot
        }
        return next(i + 1);
      });
    }
    return next(0);
  }

  function onMessage(ev) {
    var m = ev.data;
    if (m.type === "result" && pending.has(m.id)) {
      var p = pending.get(m.id);
      pending.delete(m.id);
      clearTimeout(p.timer);
      p.resolve(m.json);
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
    start();
  }

  var FILE_MESSAGE = "本手册不能直接从文件（file://）打开，计算器需要经由 Web 服务器访问：" +
    "请打开内网上的手册地址，或在手册目录运行 python3 -m http.server 后访问 http://127.0.0.1:8000/";

  // From file:// the theme's own scripts may never start the page's scripts: say it here.
  if (location.protocol === "file:") {
    document.addEventListener("DOMContentLoaded", function () {
      document.querySelectorAll("[data-calculator], [data-revision-picker]").forEach(function (root) {
        root.dataset.state = "error";
        var status = root.querySelector(".calc__status, .picker__status");
        if (status) { status.dataset.state = "error"; status.textContent = "出错"; }
        var box = root.querySelector(".calc__error") || status;
        if (box) { box.textContent = FILE_MESSAGE; box.hidden = false; }
      });
    });
  }

  function start() {
    rt.mode = null;
    setState("loading", "");
    if (location.protocol === "file:") {
      rt.ready = Promise.reject(new Error(FILE_MESSAGE));
    } else if (!CONFIG) {
      rt.ready = Promise.reject(new Error("网站构建不完整：缺少计算器运行时配置，请重新构建"));
    } else {
      rt.mode = null;
      rt.ready = bootChain();
    }
    rt.ready.then(function () { setState("ready", ""); }, function (e) { setState("error", e.message); });
    rt.ready.catch(function () {});
    return rt.ready;
  }

  function boot(wheelURL) {
    if (rt.state !== "idle") return rt.ready;
    rt.wheelURL = new URL(wheelURL, document.baseURI).href;
    return start();
  }

  function retry() {
    if (rt.state !== "error" || !rt.wheelURL) return rt.ready;
    stopWorker();
    return start();
  }

  function send(message, transfer) {
    return rt.ready.then(function () {
      return new Promise(function (resolve, reject) {
        message.id = nextId++;
        var timer = setTimeout(function () {
          if (!pending.has(message.id)) return;
          restart("计算引擎超过 " + Math.round(settings.requestTimeoutMs / 1000) +
            " 秒没有答复，已重新启动，请再试一次");
        }, settings.requestTimeoutMs);
        pending.set(message.id, { resolve: resolve, reject: reject, timer: timer });
        rt.worker.postMessage(message, transfer || []);
      });
    }).then(function (json) { return JSON.parse(json); });
  }

  function call(name, input) {
    return send({ type: "run", name: name, input: JSON.stringify(input) });
  }

  // The file's bytes go to Python as they are: decoding (UTF-8, GB18030) happens there.
  function upload(name, file) {
    return file.arrayBuffer().then(function (buffer) {
      return send({ type: "upload", name: name, data: buffer }, [buffer]);
    });
  }

  function onState(fn) {
    listeners.push(fn);
  }

  // The theme builds its search index in a worker as each page opens: on this handbook
  // 0.4-1 s of CPU, which on 2 cores was taken from the calculators' boot. On a calculator
  // page (this script then runs from <head>, before the theme's) the index is built a few
  // seconds after the calculator is ready (not during a move to the next calculator page
  // right after) or at once if it failed, at once when someone searches (any message other
  // than the set-up, type 0), and after 10 s in any case.
  var SEARCH_SETUP = 0, SEARCH_AFTER_READY_MS = 3000, SEARCH_AT_THE_LATEST_MS = 10000;
  function deferSearchIndex() {
    var RealWorker = window.Worker;
    if (!RealWorker) return;
    window.Worker = function (url, options) {
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
      return worker;
    };
    window.Worker.prototype = RealWorker.prototype;
  }

  // Offline use: the service worker (handbook/sw.js) keeps the runtime and the pages
  // visited. Registered after the page has loaded, and only where browsers allow it (https
  // or localhost). What was loaded before it took control is sent to it to keep.
  var keepTimer = null, registered = false;
  function runtimeURLs() {
    if (!rt.wheelURL || rt.state !== "ready") return [];
    var index = new URL(CONFIG.runtime, ASSETS);
    var urls = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json",
      rt.mode === "plain" ? CONFIG.plainStdlib : "python_stdlib.zip"].map(function (f) { return new URL(f, index).href; });
    urls.push(rt.wheelURL, new URL("javascripts/calc-worker.mjs", ASSETS).href);
    if (rt.snapshotCached || rt.mode === "snapshot") urls.push(new URL(CONFIG.snapshot, ASSETS).href);
    return urls;
  }
  function keepForOffline() {
    if (!registered) return;
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
    if (!CONFIG || !CONFIG.serviceWorker || !("serviceWorker" in navigator) || !window.isSecureContext) return;
    var url = new URL(CONFIG.serviceWorker, ASSETS);
    navigator.serviceWorker.addEventListener("message", function (ev) {
      if (ev.data && ev.data.type === "kept") rt.kept = ev.data.urls;
    });
    navigator.serviceWorker.register(url.href, { scope: new URL("./", url).pathname }).then(function () {
      registered = true;
      keepForOffline();
      // Storing the runtime (8 MB) waits a little: a quick move to the next page comes first.
      onState(function (state) { if (state === "ready") setTimeout(keepForOffline, 2000); });
      if (window.document$) window.document$.subscribe(keepForOffline);
    }, function () {});
  }
  if (document.readyState === "complete") registerServiceWorker();
  else window.addEventListener("load", registerServiceWorker);

  // Start at once on a page that holds a calculator: the page's scripts wait for the
  // theme to start (hundreds of ms on a first view); the runtime need not.
  // From <head> (before the body is parsed) the page's template said it holds one: the
  // worker then starts about half a second sooner than from the end of the body.
  var first = document.querySelector("[data-calculator][data-wheel], [data-revision-picker][data-wheel]");
  if (first) boot(first.dataset.wheel);
  else if (early && CONFIG && CONFIG.wheel) boot(new URL(CONFIG.wheel, ASSETS).href);
  if (early) deferSearchIndex();

  window.HandbookRuntime = {
    boot: boot,
    send: send,
    call: call,
    upload: upload,
    retry: retry,
    onState: onState,
    state: function () { return rt.state === "idle" ? "loading" : rt.state; },
    error: function () { return rt.error; },
    // For tests and the benchmark: how the runtime booted, and the limits in force.
    info: function () {
      return { mode: rt.mode, snapshotFrom: rt.snapshotFrom || null, snapshotDecision: rt.snapshotDecision || null,
               bootMs: rt.bootMs,
               snapshotCached: rt.snapshotCached, state: rt.state, kept: rt.kept || 0,
               timings: timings };
    },
    configure: function (options) { Object.assign(settings, options); }
  };
})();
