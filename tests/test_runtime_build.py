"""The build side of the calculators' runtime: the cache in the temporary folder is used
only when verified by content; a release that changes only the register of versions leaves
the wheel and the snapshot as they were; a build whose Pyodide no longer allows a trick
(the memory snapshot, the bytecode standard library) publishes the site without it."""

import gzip
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from handbook import compress, runtime
from tests.support import ROOT

def project_copy(tmp_path: Path) -> Path:
    """The wheel's sources (calc/, pyproject.toml) in a scratch folder."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "calc", project / "calc", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    return project


def plant(wheel: Path) -> None:
    """What another local account could do to a shared temporary folder."""
    with zipfile.ZipFile(wheel, "a") as z:
        z.writestr("calc/planted.py", "PLANTED_BY_OTHER_LOCAL_USER = True\n")


@pytest.mark.cpython
def test_a_wheel_planted_in_the_build_cache_is_not_shipped(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "ROOT", project_copy(tmp_path))
    cache = tmp_path / "cache"
    first = runtime.build_wheel(cache)
    plant(first)
    again = runtime.build_wheel(cache)
    with zipfile.ZipFile(again) as z:
        assert "calc/planted.py" not in z.namelist()
        assert "calc/credit_grade.py" in z.namelist()


@pytest.mark.cpython
def test_a_cached_wheel_whose_seal_is_forged_is_not_shipped(tmp_path, monkeypatch):
    """The seal lists each file's SHA-256, authenticated with this account's key: a
    planter who rewrites the list cannot make it match."""
    monkeypatch.setattr(runtime, "ROOT", project_copy(tmp_path))
    cache = tmp_path / "cache"
    wheel = runtime.build_wheel(cache)
    plant(wheel)
    seal = wheel.parent / "seal.json"
    record = json.loads(seal.read_text(encoding="utf-8"))
    from handbook import build_cache
    record["files"][wheel.name] = build_cache.file_digest(wheel)
    seal.write_text(json.dumps(record), encoding="utf-8")
    with zipfile.ZipFile(runtime.build_wheel(cache)) as z:
        assert "calc/planted.py" not in z.namelist()


@pytest.mark.cpython
def test_a_compressed_copy_planted_in_the_cache_is_not_shipped(tmp_path, monkeypatch):
    monkeypatch.setattr(compress, "CACHE", tmp_path / "gzip-cache")
    site = tmp_path / "site"
    site.mkdir()
    page = site / "index.html"
    page.write_text("<p>真正的页面</p>\n" * 200, encoding="utf-8")
    compress.precompress(site)
    for cached in (tmp_path / "gzip-cache").rglob("*.gz"):
        cached.write_bytes(gzip.compress(b"<script>planted()</script>" * 100))
    compress.precompress(site)
    assert gzip.decompress((site / "index.html.gz").read_bytes()) == page.read_bytes()


@pytest.mark.cpython
def test_the_register_of_versions_is_not_in_the_wheel_nor_in_its_digest(tmp_path, monkeypatch):
    project = project_copy(tmp_path)
    monkeypatch.setattr(runtime, "ROOT", project)
    cache = tmp_path / "cache"
    before = runtime.build_wheel(cache)
    data = before.read_bytes()
    register = project / "calc" / "register.json"
    changed = json.loads(register.read_text(encoding="utf-8"))
    changed["documents"]["XY-03"].append({"version": "2.1", "released": "2027-01-04", "effective": "2027-01-04"})
    register.write_text(json.dumps(changed, ensure_ascii=False, indent=1), encoding="utf-8")
    after = runtime.build_wheel(cache)
    assert after == before and after.read_bytes() == data
    with zipfile.ZipFile(after) as z:
        assert not [n for n in z.namelist() if n.endswith("register.json")]
    # Built afresh (no cache), the same sources give the same bytes.
    assert runtime.build_wheel(tmp_path / "fresh-cache").read_bytes() == data


@pytest.mark.pyodide
def test_an_editorial_release_leaves_the_published_wheel_and_snapshot_byte_identical(tmp_path, monkeypatch):
    """Only calc/register.json changes in a release that changes no parameter: the page's
    configuration then names another register, and the same wheel and snapshot."""
    project = project_copy(tmp_path)
    monkeypatch.setattr(runtime, "ROOT", project)
    first = runtime.prepare(runtime.CACHE, docs=ROOT / "docs")
    register = project / "calc" / "register.json"
    changed = json.loads(register.read_text(encoding="utf-8"))
    changed["documents"]["XY-02"].append({"version": "1.2", "released": "2027-01-04", "effective": "2027-01-04"})
    register.write_text(json.dumps(changed, ensure_ascii=False, indent=1), encoding="utf-8")
    second = runtime.prepare(runtime.CACHE, docs=ROOT / "docs")
    a, b = first.config, second.config
    assert a["snapshot"] and (a["wheel"], a["snapshot"]) == (b["wheel"], b["snapshot"])
    for key in ("wheel", "snapshot"):
        assert a["files"][a[key]] == b["files"][b[key]]
        assert first.files["assets/" + a[key]][1] == second.files["assets/" + b[key]][1]   # SHA-256
    assert a["register"] != b["register"]


def fake_pyodide(tmp_path: Path, breakage: str) -> Path:
    """The pinned Pyodide with one private interface changed, as a future release might:
    every file linked to the real package's but pyodide.mjs, which wraps the real one."""
    real = runtime.PYODIDE_PACKAGE.resolve()
    fake = tmp_path / "pyodide"
    fake.mkdir()
    for item in real.iterdir():
        if item.name != "pyodide.mjs":
            (fake / item.name).symlink_to(item)
    build_id = re.search(r'BUILD_ID:"[0-9a-f]{64}"', (real / "pyodide.mjs").read_text(encoding="utf-8"))[0]
    (fake / "pyodide.mjs").write_text(f"""// {build_id} (the real one's, which the build checks the snapshot by)
import {{ loadPyodide as real }} from {json.dumps((real / "pyodide.mjs").as_uri())};
export async function loadPyodide(options = {{}}) {{
  const pyodide = await real(options);
  {breakage}
  return pyodide;
}}
""", encoding="utf-8")
    return fake


@pytest.mark.pyodide
def test_without_pyodides_snapshot_functions_the_site_is_published_without_a_snapshot(tmp_path, monkeypatch, capfd):
    monkeypatch.setattr(runtime, "ROOT", project_copy(tmp_path))
    fake = fake_pyodide(tmp_path, "delete pyodide.makeMemorySnapshot;")
    built = runtime.prepare(tmp_path / "cache", package=fake, docs=ROOT / "docs")
    assert built.config["snapshot"] is None and built.config["memoryBytes"] is None
    assert not [p for p in built.files if p.endswith(runtime.SNAPSHOT)]
    assert "警告：本次构建不含内存快照" in capfd.readouterr().err
    # The bytecode standard library is still there: the page boots on it.
    stdlib = next(src for rel, (src, _) in built.files.items() if rel.endswith("/python_stdlib.zip"))
    with zipfile.ZipFile(stdlib) as z:
        assert "os.pyc" in z.namelist()


@pytest.mark.pyodide
def test_without_cpythons_private_pyc_writer_the_site_is_published_with_pyodides_own_library(tmp_path, monkeypatch, capfd):
    monkeypatch.setattr(runtime, "ROOT", project_copy(tmp_path))
    fake = fake_pyodide(tmp_path, 'pyodide.runPython("import importlib._bootstrap_external as e; del e._code_to_hash_pyc");')
    built = runtime.prepare(tmp_path / "cache", package=fake, docs=ROOT / "docs")
    assert "警告：本次构建不含字节码标准库" in capfd.readouterr().err
    stdlib = next(src for rel, (src, _) in built.files.items() if rel.endswith("/python_stdlib.zip"))
    assert stdlib.read_bytes() == (runtime.PYODIDE_PACKAGE / "python_stdlib.zip").read_bytes()
    wheel = next(src for rel, (src, _) in built.files.items() if rel.endswith(".whl"))
    with zipfile.ZipFile(wheel) as z:
        assert not [n for n in z.namelist() if n.endswith(".pyc")]


@pytest.mark.pyodide
def test_the_workers_own_sha256_for_plain_http_matches_hashlib(tmp_path):
    """Without SubtleCrypto (a page on plain http is not a secure context) the worker checks
    files with its own SHA-256: it must agree with hashlib on every padding boundary."""
    import hashlib
    import random
    import subprocess

    source = (ROOT / "docs/assets/javascripts/calc-worker.mjs").read_text(encoding="utf-8")
    start, end = source.index("const K = new Int32Array"), source.index("\n}\n", source.index("function sha256(")) + 3
    script = tmp_path / "sha.mjs"
    script.write_text(source[start:end] + """
import { readFileSync } from "node:fs";
for (const f of process.argv.slice(2)) console.log(Buffer.from(sha256(new Uint8Array(readFileSync(f)))).toString("hex"));
""", encoding="utf-8")
    rng = random.Random(5)
    files = []
    for size in (0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1_000_003):
        path = tmp_path / f"{size}.bin"
        path.write_bytes(rng.randbytes(size))
        files.append(path)
    out = subprocess.run(["node", str(script), *map(str, files)], capture_output=True, text=True, check=True).stdout.split()
    assert out == [hashlib.sha256(p.read_bytes()).hexdigest() for p in files]
