"""What the page needs to run the calculators: the calculators' wheel, built with the
ordinary tools, Pyodide's boot files, copied from the npm package (never committed, never
fetched from a CDN), and the register of released versions, served as its own small file.

Everything is published in folders named by the digest of what they hold, and each page
with a calculator carries the configuration of its build (addresses, sizes, SHA-256 of each
file; `config()` below, written by overrides/main.html): the page and the engine that
answers it are always of the same build, and a file that is not the build's is refused.

An editorial release changes calc/register.json only: it is not in the wheel (the worker
writes it into Pyodide's file system, where CPython's reader, calc/parameters.py, finds it
as it does in the source tree), so the wheel and the 13 MB snapshot stay byte-identical."""

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from handbook import build_cache, snapshot_pages

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_PACKAGE = ROOT / "node_modules" / "pyodide"
PYODIDE_BOOT_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm",
                      "python_stdlib.zip", "pyodide-lock.json")
# Node.js script that compiles the standard library and the wheel with Pyodide's own
# Python and makes the memory snapshot (see its header).
COMPILER = Path(__file__).resolve().parent / "runtime_build.mjs"
CACHE = Path(tempfile.gettempdir()) / "handbook-runtime-cache"
COMPILED_FORMAT = "5"   # the layout of a compiled folder; bump to remake old caches
BYTECODE_STDLIB = "python_stdlib.zip"         # what loadPyodide fetches by default
SOURCE_STDLIB = "python_stdlib_source.zip"    # Pyodide's own, for the plain fallback boot
REGISTER = "register.json"                     # calc/register.json, beside the wheel
# Published page-packed (handbook/snapshot_pages.py: 13 of its 30 MB) with .gz/.br copies
# beside it (handbook/compress.py): the browser inflates it as it arrives, in its network
# process, not in the calculators' worker.
SNAPSHOT = "calc.snapshot.pages"
RUNTIME_JS = "javascripts/calc-runtime.js"    # under assets/
WORKER_JS = "javascripts/calc-worker.mjs"
# The runtime's limits, part of every calculator page's configuration.
SETTINGS = {
    "bootStallMs": 20000,        # no byte and no step for this long: the boot is stuck
    "requestTimeoutMs": 120000,  # one calculation (a large upload takes tens of seconds)
    # A first visit takes the snapshot when all of it arrives within this time of asking (a
    # fast link); 0: first visits always boot on the bytecode standard library.
    "firstVisitSnapshotMs": 700,
}
# Files the page checks against their SHA-256 before use. Not the wasm (compiled as it
# streams in: a damaged one fails to compile) nor the two scripts (imported as modules).
CHECKED = (BYTECODE_STDLIB, SOURCE_STDLIB, "pyodide-lock.json", REGISTER, SNAPSHOT, ".whl")


class BuildError(RuntimeError):
    """The site cannot be built with a working calculator runtime."""


def _digest(parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def _calc_files(root: Path):
    """The files that go into the wheel: calc/ without the register and caches."""
    for path in sorted((root / "calc").rglob("*")):
        rel = path.relative_to(root / "calc")
        if path.is_file() and "__pycache__" not in rel.parts and rel.as_posix() != REGISTER:
            yield path


def source_digest(root: Path | None = None) -> str:
    root = root or ROOT
    parts = []
    for path in _calc_files(root):
        parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    parts.append((root / "pyproject.toml").read_bytes())
    return _digest(parts)[:16]


@lru_cache(maxsize=8)
def _package_files(package: Path, stats: tuple) -> dict[str, str]:
    return {name: build_cache.file_digest(package / name) for name in PYODIDE_BOOT_FILES}


def package_digests(package: Path | None = None) -> dict[str, str]:
    """SHA-256 of the pinned Pyodide's boot files (re-read when one changes)."""
    package = package or PYODIDE_PACKAGE
    missing = [f for f in PYODIDE_BOOT_FILES if not (package / f).is_file()]
    if missing:
        raise BuildError(f"缺少 Pyodide 文件 {', '.join(missing)}：请先运行 npm ci")
    stats = tuple((package / n).stat().st_mtime_ns for n in PYODIDE_BOOT_FILES)
    return _package_files(package, stats)


def _cache_key(root: Path, package: Path) -> str:
    inputs = package_digests(package)
    return _digest([source_digest(root), COMPILER.read_bytes(), COMPILED_FORMAT,
                    *(f"{k}={v}" for k, v in sorted(inputs.items()))])[:16]


def _build_wheel_into(root: Path, out: Path) -> None:
    """`python -m build` on a copy of the project's calc/ without the register, with fixed
    file times (SOURCE_DATE_EPOCH): the same sources give the same wheel, on any machine."""
    with tempfile.TemporaryDirectory(prefix="calc-sources-") as tmp:
        stage = Path(tmp)
        shutil.copy2(root / "pyproject.toml", stage / "pyproject.toml")
        for path in _calc_files(root):
            dst = stage / path.relative_to(root)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dst)
        env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
        proc = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(stage)],
            capture_output=True, text=True, env=env)
    if proc.returncode != 0 or not list(out.glob("calc-*-py3-none-any.whl")):
        raise BuildError(f"构建计算器 wheel 失败：\n{proc.stdout}\n{proc.stderr}")


def build_wheel(cache_dir: Path = CACHE, root: Path | None = None, package: Path | None = None) -> Path:
    """The calculators' wheel for this source, from the cache when a verified copy is there."""
    root, package = root or ROOT, package or PYODIDE_PACKAGE
    folder = cache_dir / _cache_key(root, package) / "wheel"
    files = build_cache.cached(folder, lambda work: _build_wheel_into(root, work))
    (name,) = [n for n in files if n.endswith(".whl")]
    return folder / name


def _compile_into(wheel: Path, package: Path, out: Path) -> None:
    proc = subprocess.run(["node", str(COMPILER), str(wheel), str(out), str(package)], cwd=COMPILER.parent,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(f"用 Pyodide 编译标准库与计算器失败：\n{proc.stdout}\n{proc.stderr}")
    meta = json.loads(proc.stdout.strip().splitlines()[-1])
    raw = out / "calc.snapshot"
    if raw.is_file():
        memory = raw.read_bytes()
        (out / SNAPSHOT).write_bytes(snapshot_pages.pack(memory))
        meta["memoryBytes"] = len(memory)
        raw.unlink()
    (out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")


def compiled_runtime(wheel: Path, package: Path | None = None) -> tuple[Path, dict[str, str]]:
    """The bytecode standard library, the bytecode wheel and the memory snapshot for this
    wheel and this Pyodide (about 10 s), from the cache when a verified copy is there. A
    step that Pyodide's private interfaces no longer allow is left out with a warning
    (handbook/PRIVATE_INTERFACES.md): the site is then published without it."""
    package = package or PYODIDE_PACKAGE
    folder = wheel.parent.parent / f"compiled-{COMPILED_FORMAT}"
    files = build_cache.cached(folder, lambda work: _compile_into(wheel, package, work))
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    for step, reason in (meta.get("degraded") or {}).items():
        what = {"snapshot": "内存快照（计算器将用字节码标准库启动，稍慢）",
                "bytecode": "字节码标准库与字节码计算器（计算器将用 Pyodide 原版标准库启动，较慢）"}.get(step, step)
        print(f"警告：本次构建不含{what}：{reason}。见 handbook/PRIVATE_INTERFACES.md", file=sys.stderr)
    return folder, files


def _integrity(hex_digest: str) -> str:
    return "sha256-" + base64.b64encode(bytes.fromhex(hex_digest)).decode()


@dataclass
class Runtime:
    """One build's runtime: the page's configuration and the files to publish."""
    config: dict
    # site-relative path -> (source file, SHA-256)
    files: dict[str, tuple[Path, str]] = field(default_factory=dict)
    wheel: str = ""        # site-relative path of the wheel


def _folder(files: dict[str, str]) -> str:
    """A folder name from the names and SHA-256 of what it holds."""
    return _digest([f"{name}={sha}" for name, sha in sorted(files.items())])[:12]


def prepare(cache_dir: Path = CACHE, root: Path | None = None, package: Path | None = None,
            docs: Path | None = None) -> Runtime:
    """Everything a build publishes for the calculators, and the configuration its pages carry."""
    root, package = root or ROOT, package or PYODIDE_PACKAGE
    wheel = build_wheel(cache_dir, root, package)
    compiled, compiled_files = compiled_runtime(wheel, package)
    meta = json.loads((compiled / "meta.json").read_text(encoding="utf-8"))
    pkg = package_digests(package)

    runtime = {name: (package / name, pkg[name]) for name in PYODIDE_BOOT_FILES if name != BYTECODE_STDLIB}
    runtime[SOURCE_STDLIB] = (package / BYTECODE_STDLIB, pkg[BYTECODE_STDLIB])
    runtime[BYTECODE_STDLIB] = (compiled / BYTECODE_STDLIB, compiled_files[BYTECODE_STDLIB])
    calc = {wheel.name: (compiled / wheel.name, compiled_files[wheel.name])}
    if SNAPSHOT in compiled_files:
        calc[SNAPSHOT] = (compiled / SNAPSHOT, compiled_files[SNAPSHOT])
    register_file = root / "calc" / REGISTER
    register = {REGISTER: (register_file, build_cache.file_digest(register_file))}

    published: dict[str, tuple[Path, str]] = {}
    for prefix, group in ((f"pyodide/{_folder({k: v[1] for k, v in runtime.items()})}/", runtime),
                          (f"wheels/{_folder({k: v[1] for k, v in calc.items()})}/", calc),
                          (f"wheels/{_folder({k: v[1] for k, v in register.items()})}/", register)):
        for name, item in group.items():
            published[prefix + name] = item
    path_of = {name: path for path in published for name in [path.rsplit("/", 1)[1]]}
    docs = docs or root / "docs"
    worker = build_cache.file_digest(docs / "assets" / WORKER_JS)[:12]
    config = {
        # Addresses relative to the site's assets/ folder.
        "runtime": path_of["pyodide.mjs"].rsplit("/", 1)[0] + "/",
        "plainStdlib": SOURCE_STDLIB,
        "wheel": path_of[wheel.name],
        "snapshot": path_of.get(SNAPSHOT),
        "register": path_of[REGISTER],
        "worker": f"{WORKER_JS}?v={worker}",
        "memoryBytes": meta.get("memoryBytes"),
        "buildId": meta.get("buildId"),
        # Each file's size (for the download progress) and, where checked, its SHA-256.
        "files": {path: {"bytes": src.stat().st_size, **({"integrity": _integrity(sha)}
                                                          if path.endswith(CHECKED) else {})}
                  for path, (src, sha) in published.items()},
        "settings": SETTINGS,
    }
    return Runtime(config=config, files={"assets/" + k: v for k, v in published.items()},
                   wheel="assets/" + path_of[wheel.name])


def script_url(docs: Path) -> str:
    """calc-runtime.js with its digest: a browser never runs an old copy beside a new page."""
    return f"assets/{RUNTIME_JS}?v={build_cache.file_digest(docs / 'assets' / RUNTIME_JS)[:12]}"


def copy_runtime(site_dir: Path, runtime: Runtime) -> None:
    """Each file into its digest-named folder, checked after copying: what is published is
    exactly what was verified (a cached file swapped meanwhile stops the build)."""
    for rel, (src, sha) in runtime.files.items():
        dst = site_dir / rel
        if not (dst.is_file() and build_cache.file_digest(dst) == sha):
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            if build_cache.file_digest(dst) != sha:
                raise BuildError(f"{rel}：复制后的内容与缓存中校验过的不一致（构建期间缓存被改动？），请重新构建")
