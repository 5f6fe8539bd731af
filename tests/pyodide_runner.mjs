// Runs the calculators' wheel in Pyodide under Node.js (the npm package itself), once per
// test session: one JSON request per line on stdin, one JSON answer per line on stdout.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { loadPyodide } from "pyodide";

// argv: the wheel, and the register of versions the site serves beside it (as the page's
// worker does, it is written where calc/parameters.py reads it).
const pyodide = await loadPyodide();
await pyodide.loadPackage(process.argv[2], { messageCallback: () => {} });
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.FS.writeFile(`${sitePackages}/calc/register.json`, readFileSync(process.argv[3]));
const registry = pyodide.pyimport("calc.registry");
const info = pyodide.runPython("import sys; sys.version.split()[0]");
process.stdout.write(JSON.stringify({ ready: true, python: info }) + "\n");

// An upload as the page's worker calls it (calc-worker.mjs): the answer as UTF-8 bytes.
const utf8 = new TextDecoder();
function upload(name, data) {
  const bytes = registry.run_upload_utf8(name, data);
  try {
    return utf8.decode(bytes.toJs());
  } finally {
    bytes.destroy();
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const req = JSON.parse(line);
  const output = req.upload !== undefined
    ? upload(req.name, Uint8Array.from(Buffer.from(req.upload, "hex")))
    : registry.run_json(req.name, req.input);
  process.stdout.write(JSON.stringify({ output }) + "\n");
}
