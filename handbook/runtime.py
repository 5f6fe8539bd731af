"""What the page needs to run the calculators: the calculators' wheel, built with the
ordinary tools, and Pyodide's boot files, copied from the npm package (never committed,
never fetched from a CDN)."""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_PACKAGE = ROOT / "node_modules" / "pyodide"
PYODIDE_BOOT_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm",
                      "python_stdlib.zip", "pyodide-lock.json")
PYODIDE_SITE_DIR = "assets/pyodide"
WHEEL_SITE_DIR = "assets/wheels"


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


def build_wheel(cache_dir: Path) -> Path:
    """Build calc-*.whl once per source state; the digest also names the folder the page
    loads it from, so a browser never keeps a stale wheel."""
    digest = _source_digest()
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


def copy_runtime(site_dir: Path, wheel: Path) -> None:
    missing = [f for f in PYODIDE_BOOT_FILES if not (PYODIDE_PACKAGE / f).is_file()]
    if missing:
        raise BuildError(f"缺少 Pyodide 文件 {', '.join(missing)}：请先运行 npm ci")
    target = site_dir / PYODIDE_SITE_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_BOOT_FILES:
        src, dst = PYODIDE_PACKAGE / name, target / name
        if not dst.exists() or dst.stat().st_size != src.stat().st_size \
                or dst.stat().st_mtime < src.stat().st_mtime:
            shutil.copy2(src, dst)
    dst = site_dir / wheel_site_path(wheel)
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, dst)
