/*
 * Customer tiering from a file (window.HandbookCalc): the chosen file checked (none, an
 * Excel file, a date asked for), sent to the engine, and its answer handed to tiering.js
 * (window.HandbookTiering).
 */
(function () {
  "use strict";

  var C = window.HandbookCalc;

  /** @param {File} file @returns {Promise<boolean>} */
  function looksLikeExcel(file) {
    if (/\.(xlsx|xlsm|xlsb|xls|et)$/i.test(file.name)) return Promise.resolve(true);
    // An .xlsx is a zip file ("PK\3\4"); an old .xls an OLE file (D0 CF 11 E0).
    return file.slice(0, 4).arrayBuffer().then(function (b) {
      var h = new Uint8Array(b);
      return (h[0] === 0x50 && h[1] === 0x4b && h[2] === 3 && h[3] === 4) ||
        (h[0] === 0xd0 && h[1] === 0xcf && h[2] === 0x11 && h[3] === 0xe0);
    });
  }

  /** @param {CalculatorRoot} root @param {TieringAnswer} answer @param {string} fileName */
  function showUpload(root, answer, fileName) {
    window.HandbookTiering.show(root, answer, fileName, { showResult: C.showResult, markFieldErrors: C.markFieldErrors });
  }

  /** @param {CalculatorRoot} root */
  function submitUpload(root) {
    var runtime = window.HandbookRuntime;
    var input = /** @type {HTMLInputElement} */ (root.querySelector('input[type="file"]'));
    var file = input.files[0];
    C.clearResult(root);
    if (!file) {
      var message = "请先选择要上传的客户清单（CSV 文件）";
      C.showError(root, message + "。");
      C.markFieldErrors(root, [{ field: input.name, message: message }]);
      return;
    }
    // The worker takes no date with a file yet (calc.registry.run_upload does): a date asked
    // for is never silently replaced by today's rules.
    var asOf = /** @type {HTMLInputElement | null} */ (root.querySelector('form [name="as_of"]'));
    if (asOf && asOf.value.trim()) {
      var dated = "上传文件的分级暂只能按今天有效的制度计算：请清空“适用日期”后重新上传";
      C.showError(root, dated + "。");
      C.markFieldErrors(root, [{ field: "as_of", message: dated }]);
      return;
    }
    C.setBusy(root, true, "正在读取并分级“" + file.name + "”（" + Math.max(1, Math.round(file.size / 1024)) + " KB）");
    looksLikeExcel(file).then(function (excel) {
      if (excel) {
        var excelMessage = "“" + file.name + "”是 Excel 文件：请在 Excel 中用“另存为”，保存类型选“CSV（逗号分隔）”，再上传 CSV 文件";
        C.showError(root, excelMessage + "。");
        C.markFieldErrors(root, [{ field: input.name, message: "请另存为 CSV 后再上传" }]);
        return null;
      }
      return runtime.upload(root.dataset.calculator, file).then(function (answer) {
        // A task of its own for the table: reading a large answer and drawing it stay apart.
        return new Promise(function (resolve) {
          setTimeout(function () { showUpload(root, answer, file.name); resolve(); }, 0);
        });
      });
    }).catch(function (e) {
      C.showError(root, "计算失败：" + e.message + "。所选文件未被改动。");
    }).finally(function () {
      C.setBusy(root, false);
      C.showState(root, runtime.state(), runtime.error());   // a failed engine: its cause and 重试
    });
  }

  C.submitUpload = submitUpload;
})();
