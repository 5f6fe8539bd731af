"""What the page needs to run the calculators: the calculators' wheel, built with the
ordinary tools, and Pyodide's boot files, copied from the npm package (never committed,
never fetched from a CDN)."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from handbook import snapshot_pages

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_PACKAGE = ROOT / "node_modules" / "pyodide"
PYODIDE_BOOT_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm",
                      "python_stdlib.zip", "pyodide-lock.json")
PYODIDE_SITE_DIR = "assets/pyodide"
WHEEL_SITE_DIR = "assets/wheels"
# Node.js script that compiles the standard library and the wheel with Pyodide's own
# Python and makes the memory snapshot (see its header).
COMPILER = Path(__file__).resolve().parent / "runtime_build.mjs"
BYTECODE_STDLIB = "python_stdlib.zip"         # what loadPyodide fetches by default
SOURCE_STDLIB = "python_stdlib_source.zip"    # Pyodide's own, for the plain fallback boot
# Published page-packed (handbook/snapshot_pages.py: 13 of its 30 MB) with .gz/.br copies
# beside it (handbook/compress.py): the browser inflates it as it arrives, in its network
# process, not in the calculators' worker.
SNAPSHOT = "calc.snapshot.pages"
COMPILED_FORMAT = "4"   # the layout of the compiled folder below; bump to remake old caches
RUNTIME_JS = "assets/javascripts/calc-runtime.js"
CONFIG_MARK = "/*@HANDBOOK_RUNTIME@*/null"


class BuildError(RuntimeError):
    """The site cannot be built with a working calculator runtime."""


def _source_digest() -> str:
    h = hashlib.sha256()
    for path in sorted((ROOT / "calc").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(ROOT).as_posix().encode())
            h.update(path.read_bytes())
    h.update((ROOT / "pyproject.toml").read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=4)
def _pyodide_digest_of(stats: tuple) -> str:
    h = hashlib.sha256()
    for name in PYODIDE_BOOT_FILES:
        h.update(name.encode())
        h.update((PYODIDE_PACKAGE / name).read_bytes())
    h.update(COMPILER.read_bytes())
    return h.hexdigest()[:12]


def pyodide_digest() -> str:
    """The pinned Pyodide's boot files and the compiler script: names the runtime folder,
    and goes into the wheel's digest (the snapshot and the .pyc depend on it)."""
    stats = tuple((PYODIDE_PACKAGE / n).stat().st_mtime_ns if (PYODIDE_PACKAGE / n).exists() else 0
                  for n in PYODIDE_BOOT_FILES) + (COMPILER.stat().st_mtime_ns,)
    return _pyodide_digest_of(stats)


def build_wheel(cache_dir: Path) -> Path:
    """Build calc-*.whl once per source state; the digest also names the folder the page
    loads it from, so a browser never keeps a stale wheel."""
    digest = hashlib.sha256((_source_digest() + pyodide_digest()).encode()).hexdigest()[:12]
    out = cache_dir / digest
    wheels = sorted(out.glob("calc-*-py3-none-any.whl"))
    if wheels:
        return wheels[0]
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True, text=True)
    wheels = sorted(out.glob("calc-*-py3-none-any.whl"))
    if proc.returncode != 0 or not wheels:
        raise BuildError(f"构建计算器 wheel 失败：\n{proc.stdout}\n{proc.stderr}")
    return wheels[0]


def wheel_site_path(wheel: Path) -> str:
    return f"{WHEEL_SITE_DIR}/{wheel.parent.name}/{wheel.name}"


def compiled_runtime(wheel: Path) -> Path:
    """The bytecode standard library, the bytecode wheel and the memory snapshot for this
    wheel and this Pyodide, made once (about 10 s) and kept beside the cached wheel: the
    folder's name already holds both digests."""
    out = wheel.parent / f"compiled-{COMPILED_FORMAT}"
    if (out / "meta.json").is_file():
        return out
    missing = [f for f in PYODIDE_BOOT_FILES if not (PYODIDE_PACKAGE / f).is_file()]
    if missing:
        raise BuildError(f"缺少 Pyodide 文件 {', '.join(missing)}：请先运行 npm ci")
    work = Path(tempfile.mkdtemp(prefix="compiled-", dir=wheel.parent))
    try:
        proc = subprocess.run(["node", str(COMPILER), str(wheel), str(work)], cwd=ROOT,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise BuildError(f"用 Pyodide 编译标准库与计算器、制作内存快照失败：\n{proc.stdout}\n{proc.stderr}")
        meta = json.loads(proc.stdout.strip().splitlines()[-1])
        raw = (work / "calc.snapshot").read_bytes()
        (work / SNAPSHOT).write_bytes(snapshot_pages.pack(raw))
        meta["snapshotBytes"] = (work / SNAPSHOT).stat().st_size   # what the page downloads
        meta["memoryBytes"] = len(raw)
        (work / "calc.snapshot").unlink()
        (work / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        try:
            os.rename(work, out)  # atomic: a parallel build made the same files, or this one
        except OSError:
            pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def runtime_site_dir() -> str:
    return f"{PYODIDE_SITE_DIR}/{pyodide_digest()}"


def _copy(src: Path, dst: Path) -> None:
    if not dst.exists() or dst.stat().st_size != src.stat().st_size \
            or dst.stat().st_mtime < src.stat().st_mtime:
        shutil.copy2(src, dst)


def copy_runtime(site_dir: Path, wheel: Path) -> dict:
    """Pyodide into assets/pyodide/<digest>/ (its standard library as bytecode, the source
    one beside it for the fallback boot), the bytecode wheel and its snapshot into
    assets/wheels/<digest>/, and their addresses into calc-runtime.js. Every folder is
    named by a content digest, so servers and browsers may keep them for good."""
    compiled = compiled_runtime(wheel)
    meta = json.loads((compiled / "meta.json").read_text(encoding="utf-8"))
    target = site_dir / runtime_site_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_BOOT_FILES:
        if name != "python_stdlib.zip":
            _copy(PYODIDE_PACKAGE / name, target / name)
    _copy(compiled / BYTECODE_STDLIB, target / BYTECODE_STDLIB)
    _copy(PYODIDE_PACKAGE / "python_stdlib.zip", target / SOURCE_STDLIB)
    dst = site_dir / wheel_site_path(wheel)
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(compiled / wheel.name, dst)
    shutil.copy2(compiled / SNAPSHOT, dst.parent / SNAPSHOT)
    assets = "assets/"
    config = {
        "runtime": runtime_site_dir().removeprefix(assets) + "/",
        "plainStdlib": SOURCE_STDLIB,
        "snapshot": f"{wheel_site_path(wheel).rsplit('/', 1)[0].removeprefix(assets)}/{SNAPSHOT}",
        # For the early boot from <head> (overrides/main.html), before the page's body exists.
        "wheel": wheel_site_path(wheel).removeprefix(assets),
        "snapshotBytes": meta["snapshotBytes"],   # the packed file
        "memoryBytes": meta["memoryBytes"],       # the memory it unpacks to
        "buildId": meta["buildId"],
        "serviceWorker": "../sw.js",  # written by handbook/offline.py after the build
    }
    write_config(site_dir, config)
    return config


def write_config(site_dir: Path, config: dict) -> None:
    js = site_dir / RUNTIME_JS
    text = js.read_text(encoding="utf-8")
    if CONFIG_MARK not in text:
        raise BuildError(f"{RUNTIME_JS} 中缺少运行时配置的占位符 {CONFIG_MARK}")
    js.write_text(text.replace(CONFIG_MARK, json.dumps(config, ensure_ascii=False)), encoding="utf-8")
