/*
 * A query pasted with the mouse searches at once. The theme searches when a key is
 * released in the search box; a paste from the context menu (or text dropped in) changes
 * the box without any key, and the results waited for the next key press.
 */
(function () {
  "use strict";

  function watch() {
    var input = document.querySelector("input.md-search__input");
    if (!input || input.dataset.paste) return;
    input.dataset.paste = "1";
    input.addEventListener("input", function (ev) {
      // Not while an input method composes; a key released as well searches only once
      // (the theme ignores an unchanged query).
      if (!ev.isComposing) input.dispatchEvent(new KeyboardEvent("keyup"));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
