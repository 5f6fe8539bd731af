/*
 * A link with a calculator's inputs in its fragment (window.HandbookCalc): 复制分享链接
 * under a result, and the inputs of a shared link read back when the page opens.
 */
(function () {
  "use strict";

  var C = window.HandbookCalc;
  var el = C.el;

  /** @param {CalculatorRoot} root @param {RawForm} raw */
  function shareURL(root, raw) {
    var params = new URLSearchParams();
    params.set("calc", root.dataset.calculator);
    Object.keys(raw).forEach(function (k) {
      var v = raw[k];
      if (v === "" || v === false || (Array.isArray(v) && !v.length)) return;
      params.set(k, Array.isArray(v) ? v.join(",") : v === true ? "1" : String(v));
    });
    // The fragment never reaches the server: the inputs stay between the two browsers.
    return location.href.split("#")[0] + "#" + params.toString();
  }

  /** @param {CalculatorRoot} root @returns {Record<string, string> | null} */
  function sharedInputs(root) {
    if (!/^#calc=/.test(location.hash)) return null;
    var params = new URLSearchParams(location.hash.slice(1));
    if (params.get("calc") !== root.dataset.calculator) return null;
    /** @type {Record<string, string>} */
    var raw = {};
    params.forEach(function (v, k) { if (k !== "calc") raw[k] = v; });
    return raw;
  }

  // The button and the link it shows (for the result's bar).
  /** @param {CalculatorRoot} root */
  function shareControls(root) {
    var share = el("button", "md-button calc__share", "复制分享链接");
    share.type = "button";
    var link = el("input", "calc__share-link");
    link.readOnly = true;
    link.hidden = true;
    link.setAttribute("aria-label", "分享链接（所填内容在链接的 # 之后，不发送给服务器）");
    share.addEventListener("click", function () {
      link.value = shareURL(root, root.lastAnswer.raw);
      link.hidden = false;
      link.select();
      var copied = navigator.clipboard && navigator.clipboard.writeText ? navigator.clipboard.writeText(link.value) : Promise.reject();
      copied.then(function () { share.textContent = "链接已复制"; }, function () { share.textContent = "请复制下面的链接"; });
    });
    return [share, link];
  }

  C.sharedInputs = sharedInputs;
  C.shareControls = shareControls;
})();
