// Build-time companion of handbook/runtime.py, run by Node.js on the pinned npm Pyodide:
// Pyodide's own Python 3.14 compiles the standard library and the calculators' wheel to
// bytecode (the host Python may be another version), then boots on that bytecode, imports
// calc and saves a memory snapshot. Usage: node runtime_build.mjs WHEEL OUT_DIR PYODIDE_DIR
// Writes OUT_DIR/python_stdlib.zip, OUT_DIR/<wheel name>, OUT_DIR/calc.snapshot, and prints
// one JSON line (build id, sizes, timings, and the steps left out, `degraded`).
//
// Both steps rest on private interfaces of Pyodide and CPython (handbook/PRIVATE_INTERFACES.md).
// Each degrades instead of failing the build: without bytecode the site ships Pyodide's own
// standard library and the wheel as built; without a snapshot, no snapshot (the page then
// boots on the bytecode standard library).
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

const [wheelPath, outDir, pyodideDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const started = Date.now();
const timings = {};
const degraded = {};
const reason = (e) => String((e && e.message) || e).split("\n").filter(Boolean).slice(-1)[0];

// Unchecked hash-based .pyc (PEP 552): used without looking at the source, so the wheel can
// keep its .py files (readable tracebacks) at no cost; the stdlib zip holds .pyc only.
const COMPILE = `
import importlib._bootstrap_external as ext, importlib.util, io, zipfile

def pyc(source, filename):
    code = compile(source, filename, "exec", dont_inherit=True)
    return ext._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)

def compile_zip(data, prefix, keep_source, legacy_layout):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as src, \\
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            body = src.read(info)
            if not info.filename.endswith(".py"):
                dst.writestr(info, body)
                continue
            code = pyc(body, prefix + info.filename)
            stem = info.filename[:-3]
            if legacy_layout:   # zipimport reads name.pyc beside where name.py would be
                name = stem + ".pyc"
            else:               # the path finder reads __pycache__/name.<tag>.pyc
                head, _, tail = stem.rpartition("/")
                name = (head + "/" if head else "") + "__pycache__/" + tail + "." + \\
                    __import__("sys").implementation.cache_tag + ".pyc"
            if keep_source:
                dst.writestr(info, body)
            dst.writestr(zipfile.ZipInfo(name, info.date_time), code, zipfile.ZIP_DEFLATED)
    return out.getvalue()
`;

const stdlibOut = join(outDir, "python_stdlib.zip");
const wheelOut = join(outDir, basename(wheelPath));

// 1. Compile (plain boot of the npm package, sources as shipped).
let t = Date.now();
let magic = null;
try {
  const compiler = await loadPyodide();
  compiler.runPython(COMPILE);
  const compileZip = compiler.globals.get("compile_zip");
  const sp = compiler.runPython("import site; site.getsitepackages()[0]");
  const stdlibZipPath = compiler.runPython("import sys; [p for p in sys.path if p.endswith('.zip')][0]");
  const stdlib = compileZip(new Uint8Array(readFileSync(join(pyodideDir, "python_stdlib.zip"))),
    stdlibZipPath + "/", false, true).toJs();
  const wheel = compileZip(new Uint8Array(readFileSync(wheelPath)), sp + "/", true, false).toJs();
  magic = compiler.runPython("import importlib.util; importlib.util.MAGIC_NUMBER.hex()");
  writeFileSync(stdlibOut, stdlib);
  writeFileSync(wheelOut, wheel);
} catch (e) {
  degraded.bytecode = reason(e);
  copyFileSync(join(pyodideDir, "python_stdlib.zip"), stdlibOut);
  copyFileSync(wheelPath, wheelOut);
}
timings.compile = Date.now() - t;

// 2. Snapshot: boot on the published stdlib (the browser restores with the same file),
// unpack the published wheel (unpackArchive: loadPackage leaves state a snapshot cannot
// hold), import what the page uses, read the parameter files (the file system is not in the
// snapshot). Not the register of versions: it is not in the wheel, the page's worker writes
// the one of its build (so that an editorial release leaves the snapshot as it is).
t = Date.now();
let buildId = null;
try {
  buildId = readFileSync(join(pyodideDir, "pyodide.mjs"), "utf8").match(/BUILD_ID:"([0-9a-f]{64})"/)?.[1] || null;
  const pyodide = await loadPyodide({ _makeSnapshot: true, stdLibURL: stdlibOut });
  const site = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheelOut)), "zip", { extractDir: site });
  const unread = pyodide.runPython(
    "import calc, calc.registry, calc.redline\n" +
    "from calc import parameters\n" +
    "parameters._source(); parameters.company()\n" +
    "parameters.register.cache_info().currsize == 0");
  if (!unread) throw new Error("the register of versions was read before the snapshot");
  if (typeof pyodide.makeMemorySnapshot !== "function") throw new Error("pyodide.makeMemorySnapshot is not a function");
  const snapshot = pyodide.makeMemorySnapshot();
  // The snapshot carries the build id of the pyodide.asm.* it was made with (eight 32-bit
  // words from byte 16): it must be the one pyodide.mjs checks on restore.
  const words = new Uint32Array(snapshot.buffer, snapshot.byteOffset + 16, 8);
  const carried = Array.from(words, (w) => w.toString(16).padStart(8, "0")).join("");
  if (carried !== buildId) throw new Error(`snapshot build id ${carried} differs from pyodide.mjs ${buildId}`);
  writeFileSync(join(outDir, "calc.snapshot"), snapshot);
} catch (e) {
  degraded.snapshot = reason(e);
}
timings.snapshot = Date.now() - t;

process.stdout.write(JSON.stringify({
  buildId, magic, degraded, timings, totalMs: Date.now() - started,
}) + "\n");
process.exit(0);
