// Module Web Worker that hosts Pyodide and the calculators' wheel. Pyodide refuses classic
// workers; a module worker also lets this file import the site's own pyodide.mjs.
import { loadPyodide } from "../pyodide/pyodide.mjs";

let runJson = null;
let runUpload = null;
let compareJson = null;

async function boot(indexURL, wheelURL) {
  const pyodide = await loadPyodide({ indexURL });
  await pyodide.loadPackage(wheelURL, { messageCallback: () => {} });
  const registry = pyodide.pyimport("calc.registry");
  runJson = registry.run_json;
  runUpload = registry.run_upload;
  compareJson = pyodide.pyimport("calc.redline").compare_json;
}

self.onmessage = async (ev) => {
  const m = ev.data;
  if (m.type === "boot") {
    try {
      await boot(m.indexURL, m.wheelURL);
      self.postMessage({ type: "ready" });
    } catch (e) {
      self.postMessage({ type: "boot-error", message: String((e && e.message) || e) });
    }
  } else if (m.type === "run" || m.type === "upload" || m.type === "compare") {
    let json;
    try {
      json = m.type === "run" ? runJson(m.name, m.input)
        : m.type === "upload" ? runUpload(m.name, new Uint8Array(m.data))
        : compareJson(m.old, m.new, m.oldLabel, m.newLabel);
    } catch (e) {
      // A bug, not bad input: say so in Chinese rather than show a traceback.
      json = JSON.stringify({ error: "计算器内部错误，请将所填内容与本消息报告给手册维护人：" +
        String((e && e.message) || e).split("\n").slice(-2).join(" ") });
    }
    self.postMessage({ type: "result", id: m.id, json });
  }
};
