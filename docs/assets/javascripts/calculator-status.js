/*
 * What a calculator says about its engine and its work (window.HandbookCalc): the status
 * (加载中, 就绪, 出错) with 重试 beside a failure, and the busy state while a calculation
 * runs. The engine itself is calc-runtime.js (window.HandbookRuntime).
 */
(function () {
  "use strict";

  var C = window.HandbookCalc;
  var el = C.el;
  var STATUS_TEXT = { loading: "加载中", ready: "就绪", error: "出错" };

  /** @param {CalculatorRoot} root @param {RuntimeState} state @param {string} error */
  function showState(root, state, error) {
    root.dataset.state = state;
    var status = root.querySelector(".calc__status");
    status.dataset.state = state;
    status.textContent = STATUS_TEXT[state];
    if (state === "error") {
      C.showError(root, "计算引擎加载失败：" + error + "。所填内容已保留。");
      retryButton(root);
    }
  }

  // 重试 beside the cause: a new boot without reloading the page, so the input stays.
  /** @param {CalculatorRoot} root */
  function retryButton(root) {
    var box = root.querySelector(".calc__error");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button calc__retry";
    button.textContent = "重试";
    button.addEventListener("click", function () {
      box.hidden = true;
      box.replaceChildren();
      window.HandbookRuntime.retry();
    });
    box.append(" ", button);
  }

  // The button is off while a calculation runs; after a second the page says it is working.
  /** @param {CalculatorRoot} root @param {boolean} busy @param {string} [doing] */
  function setBusy(root, busy, doing) {
    var runtime = window.HandbookRuntime;
    var button = /** @type {HTMLButtonElement} */ (root.querySelector('button[type="submit"]'));
    var working = root.querySelector(".calc__working");
    var hadFocus = document.activeElement === button;
    button.disabled = busy;
    root.setAttribute("aria-busy", busy ? "true" : "false");
    clearTimeout(root.busyTimer);
    if (busy) {
      root.busyFocus = hadFocus;
      var started = Date.now();
      var tell = function () {
        var text = (runtime.state() === "loading" ? "正在加载计算引擎，完成后自动计算" : doing || "正在计算") + "…";
        // The words are announced once; the seconds count only on screen.
        if (working.hidden || working.firstChild.textContent !== text) {
          var elapsed = el("span", "calc__elapsed");
          elapsed.setAttribute("aria-hidden", "true");
          working.replaceChildren(el("span", null, text), elapsed);
        }
        // While the engine downloads: how much has arrived (calc-progress.js).
        var download = runtime.state() === "loading" && window.HandbookDownload ? window.HandbookDownload.text() : "";
        working.lastChild.textContent = "（" + (download ? download + "，" : "") + "已 " + Math.round((Date.now() - started) / 1000) + " 秒）";
        working.hidden = false;
        root.busyTimer = setTimeout(tell, 1000);
      };
      root.busyTimer = setTimeout(tell, 1000);
    } else {
      working.hidden = true;
      if (root.busyFocus && (document.activeElement === document.body || !document.activeElement)) button.focus();
      root.busyFocus = false;
    }
  }

  C.showState = showState;
  C.setBusy = setBusy;
})();
