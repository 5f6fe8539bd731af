// Runs the calculators' wheel in Pyodide under Node.js (the npm package itself), once per
// test session: one JSON request per line on stdin, one JSON answer per line on stdout.
import { createInterface } from "node:readline";
import { loadPyodide } from "pyodide";

const pyodide = await loadPyodide();
await pyodide.loadPackage(process.argv[2], { messageCallback: () => {} });
const registry = pyodide.pyimport("calc.registry");
const info = pyodide.runPython("import sys; sys.version.split()[0]");
process.stdout.write(JSON.stringify({ ready: true, python: info }) + "\n");

for await (const line of createInterface({ input: process.stdin })) {
  const req = JSON.parse(line);
  const output = req.upload !== undefined
    ? registry.run_upload(req.name, Uint8Array.from(Buffer.from(req.upload, "hex")))
    : registry.run_json(req.name, req.input);
  process.stdout.write(JSON.stringify({ output }) + "\n");
}
