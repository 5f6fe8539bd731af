// Build-time companion of handbook/runtime.py, run by Node.js on the pinned npm Pyodide:
// Pyodide's own Python 3.14 compiles the standard library and the calculators' wheel to
// bytecode (the host Python may be another version), then boots on that bytecode, imports
// calc and saves a memory snapshot. Usage: node runtime_build.mjs WHEEL OUT_DIR
// Writes OUT_DIR/python_stdlib.zip, OUT_DIR/<wheel name>, OUT_DIR/calc.snapshot, and prints
// one JSON line (build id, sizes, timings).
import { loadPyodide } from "pyodide";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { createRequire } from "node:module";

const [wheelPath, outDir] = process.argv.slice(2);
const pyodideDir = createRequire(import.meta.url).resolve("pyodide/package.json").replace(/package\.json$/, "");
const started = Date.now();
const timings = {};

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

// 1. Compile (plain boot of the npm package, sources as shipped).
let t = Date.now();
const compiler = await loadPyodide();
compiler.runPython(COMPILE);
const compileZip = compiler.globals.get("compile_zip");
const sp = compiler.runPython("import site; site.getsitepackages()[0]");
const stdlibZipPath = compiler.runPython("import sys; [p for p in sys.path if p.endswith('.zip')][0]");
const stdlib = compileZip(new Uint8Array(readFileSync(join(pyodideDir, "python_stdlib.zip"))),
  stdlibZipPath + "/", false, true).toJs();
const wheel = compileZip(new Uint8Array(readFileSync(wheelPath)), sp + "/", true, false).toJs();
const magic = compiler.runPython("import importlib.util; importlib.util.MAGIC_NUMBER.hex()");
writeFileSync(join(outDir, "python_stdlib.zip"), stdlib);
writeFileSync(join(outDir, basename(wheelPath)), wheel);
timings.compile = Date.now() - t;

// 2. Snapshot: boot on the bytecode stdlib (the browser restores with the same file), unpack
// the compiled wheel (unpackArchive: loadPackage leaves state a snapshot cannot hold), import
// what the page uses, read the parameter files (the file system is not in the snapshot).
t = Date.now();
const pyodide = await loadPyodide({ _makeSnapshot: true, stdLibURL: join(outDir, "python_stdlib.zip") });
const site = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(wheel, "zip", { extractDir: site });
pyodide.runPython("import calc, calc.registry, calc.redline\n" +
  "from calc import parameters; parameters.policy(); parameters.company()");
const snapshot = pyodide.makeMemorySnapshot();
writeFileSync(join(outDir, "calc.snapshot"), snapshot);
timings.snapshot = Date.now() - t;

// The snapshot carries the build id of the pyodide.asm.* it was made with (eight 32-bit words from byte 16).
const words = new Uint32Array(snapshot.buffer, snapshot.byteOffset + 16, 8);
const buildId = Array.from(words, (w) => w.toString(16).padStart(8, "0")).join("");
const expected = readFileSync(join(pyodideDir, "pyodide.mjs"), "utf8").match(/BUILD_ID:"([0-9a-f]{64})"/)[1];
if (buildId !== expected) {
  console.error(`snapshot build id ${buildId} differs from pyodide.mjs ${expected}`);
  process.exit(1);
}
process.stdout.write(JSON.stringify({
  buildId, magic, stdlibBytes: stdlib.length, wheelBytes: wheel.length,
  snapshotBytes: snapshot.length, timings, totalMs: Date.now() - started,
}) + "\n");
process.exit(0);
