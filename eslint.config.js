// The JavaScript linter (`make lint`, which `make test` runs first). Rules that catch bugs,
// not style: a name used but never defined, defined but never used, one name hiding another,
// == where === is meant, a global made by accident. Each group of files gets the globals of
// where it runs: the page, a worker, a service worker, Node.
import js from "@eslint/js";
import globals from "globals";

const bugs = {
  ...js.configs.recommended.rules,
  "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
  "no-shadow": ["error", { builtinGlobals: false, hoist: "functions" }],
  "no-implicit-globals": "error",
  "no-use-before-define": ["error", { functions: false, classes: true, variables: true }],
  eqeqeq: ["error", "always", { null: "ignore" }],
  "array-callback-return": "error",
};

// Names that a page script could read from window by mistake (a forgotten `var name`
// silently reads window.name): in the page's scripts, only as window.name.
const WINDOW_NAMES = ["event", "name", "status", "length", "close", "open", "top", "parent",
                      "origin", "closed", "opener", "find", "stop", "external", "frames", "print"];

export default [
  { ignores: ["site/", "build/", "dist/", ".venv/", ".cache/"] },
  {
    // The page's scripts: classic scripts (MkDocs extra_javascript), one IIFE each, sharing
    // window.Handbook* objects and the theme's document$.
    files: ["docs/assets/javascripts/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: { ...bugs, "no-restricted-globals": ["error", ...WINDOW_NAMES] },
  },
  {
    // The calculators' Pyodide worker (a module worker).
    files: ["docs/assets/javascripts/*.mjs"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.worker },
    },
    rules: bugs,
  },
  {
    // Written to the site's root by handbook/offline.py.
    files: ["handbook/sw.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.serviceworker },
    },
    // The worker's global scope is its own: top-level names collide with no other script.
    rules: { ...bugs, "no-implicit-globals": "off" },
  },
  {
    // Build and test helpers run by Node, and this file.
    files: ["handbook/*.mjs", "tests/*.mjs", "eslint.config.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node },
    },
    rules: bugs,
  },
];
