/*
 * Printing a document: the header (number, title, version, effective date, 非受控), the
 * print date and "第 n 页，共 m 页" go in the page margins (CSS @page margin boxes), so
 * they repeat on every sheet without covering the first lines of the text, as the fixed
 * .print-header did. The rules are built here from the page's .print-header (per document)
 * and today's date, through CSSOM, which a Content-Security-Policy allows.
 */
(function () {
  "use strict";

  var sheet = null;

  function quoted(text) {
    return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\s+/g, " ").trim() + '"';
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function update() {
    if (!("adoptedStyleSheets" in document) || typeof CSSStyleSheet !== "function") return;
    var header = document.querySelector(".print-header");
    var small = "font-size: 8pt; color: #333; font-family: sans-serif;";
    var css = "@page { margin: 20mm 15mm 16mm; " +
      (header ? "@top-left { content: " + quoted(header.textContent) + "; " + small +
        " vertical-align: bottom; padding-bottom: 3mm; } " : "") +
      "@bottom-left { content: " + quoted("打印日期：" + today()) + "; " + small + " } " +
      "@bottom-right { content: \"第 \" counter(page) \" 页，共 \" counter(pages) \" 页\"; " + small + " } }\n" +
      "@page record { @top-left { content: \"计算记录（非受控，以网站现行版本为准）\"; " + small + " vertical-align: bottom; padding-bottom: 3mm; } }";
    try {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
      }
      sheet.replaceSync(css);
      document.documentElement.classList.add("print-margins");
    } catch (e) {
      // An older browser: the fixed .print-header of handbook.css stays in use.
    }
  }

  // For a page whose header changes after it opened (版本对照, compare.js).
  window.HandbookPrint = { update: update };

  window.addEventListener("beforeprint", update);
  if (window.document$) window.document$.subscribe(update);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
})();
