/*
 * While the calculators' engine downloads (on a slow link, a minute), each calculator's
 * status says how much has arrived, and of how much: "加载中：已下载 35%（共约 14 MB）"; once
 * every file is here, that the engine is starting. calculator-status.js owns the status otherwise
 * (加载中, 就绪, 出错) and shows the same words beside 计算 when someone presses it meanwhile
 * (window.HandbookDownload.text()). The figures are HandbookRuntime.progress(): bytes
 * received of the files this boot fetches, as the page's build lists their sizes.
 */
(function () {
  "use strict";

  var runtime = window.HandbookRuntime;
  if (!runtime || !runtime.onProgress) return;

  // step: the percent rounded down to it (the status is announced to screen readers: in
  // steps of 10 %, not four times a second).
  function text(step) {
    var p = runtime.progress();
    if (runtime.state() !== "loading" || !p.total) return "";
    if (p.received >= p.total) return "正在启动计算引擎";
    var mb = Math.max(1, Math.round(p.total / 1048576));
    var percent = Math.floor(100 * p.received / p.total / (step || 1)) * (step || 1);
    return "已下载 " + percent + "%（共约 " + mb + " MB）";
  }

  function show() {
    var words = text(10);
    if (!words) return;
    document.querySelectorAll('[data-calculator][data-state="loading"] .calc__status').forEach(function (status) {
      if (status.textContent !== "加载中：" + words) status.textContent = "加载中：" + words;
    });
  }

  runtime.onProgress(show);
  if (window.document$) window.document$.subscribe(show);
  window.HandbookDownload = { text: function () { return text(1); } };
})();
