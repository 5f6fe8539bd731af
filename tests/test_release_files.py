"""What `verify` finds in revisions/ besides the record itself (reliability review N5, N6,
N17): links, pipes, folders, devices and oversized files are named and refused, never
followed, read or hung on; a manifest that cannot be parsed safely gets a message; and
entries that break the release rules are reported even with the chain recomputed."""

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import time

import pytest

from handbook import revisions
from tests.test_release import manifest, project, run  # noqa: F401 (fixture)

pytestmark = pytest.mark.cpython


def rechain(project, edit=lambda entries: entries) -> None:
    """What a forger does after editing the record: recompute every SHA-256 and the chain."""
    entries = [revisions.Revision(**e) for e in edit(manifest(project)["revisions"])]
    out, previous = [], revisions.GENESIS
    for r in entries:
        path = project / "revisions" / r.file
        sha = r.sha256
        if os.path.isfile(path) and not os.path.islink(path) and os.path.getsize(path) < 50_000_000:
            sha = revisions.digest(path)
        r = revisions.chained(revisions.Revision(**{**r.__dict__, "sha256": sha}), previous)
        out.append(r)
        previous = r.hash
    (project / "revisions" / "manifest.json").write_text(revisions.manifest_text(out), encoding="utf-8")
    (project / "calc" / "register.json").write_text(revisions.register_text(out), encoding="utf-8")


def verify_cli(project) -> subprocess.CompletedProcess:
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "handbook", "verify"], cwd=project, capture_output=True,
                          text=True, timeout=60,
                          env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "HOME": str(project)})
    assert time.monotonic() - start < 30
    return proc


def refused(project, words: str) -> list[str]:
    proc = verify_cli(project)
    assert proc.returncode == 1, proc.stdout
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr, proc.stderr
    assert words in proc.stderr, proc.stderr
    return proc.stderr.splitlines()


SNAPSHOT = "XY-03/1.0.md"


@pytest.fixture
def outside(tmp_path_factory):
    """A file outside the repository, made to look like the snapshot it replaces."""
    path = tmp_path_factory.mktemp("outside") / "secret.md"
    return path


def test_a_symlinked_snapshot_to_a_file_outside_is_refused_not_published(project, outside):
    real = project / "revisions" / SNAPSHOT
    outside.write_text(real.read_text(encoding="utf-8") + "\nSECRET-FROM-OUTSIDE token=abc123\n", encoding="utf-8")
    real.unlink()
    real.symlink_to(outside)
    rechain(project)
    lines = refused(project, f"revisions/{SNAPSHOT}：是符号链接")
    assert not any("SECRET" in line for line in lines)
    # The build runs verify first: nothing is published.
    proc = run(project, "build", "-q", "-d", str(project / "site"), module="mkdocs")
    assert proc.returncode != 0 and f"revisions/{SNAPSHOT}：是符号链接" in proc.stderr
    assert not (project / "site" / "xinyong" / "XY-03-v1.0").exists()


def test_a_symlink_to_another_snapshot_inside_the_repo_is_refused(project):
    real = project / "revisions" / SNAPSHOT
    real.unlink()
    real.symlink_to(project / "revisions" / "XY-03" / "1.1.md")
    rechain(project)
    refused(project, f"revisions/{SNAPSHOT}：是符号链接")


def test_a_symlinked_document_folder_is_refused(project, tmp_path_factory):
    folder = project / "revisions" / "XY-03"
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "XY-03"
    folder.rename(elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)
    refused(project, "revisions/XY-03：是符号链接")


def test_a_symlinked_revisions_folder_is_refused(project, tmp_path_factory):
    folder = project / "revisions"
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "revisions"
    folder.rename(elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)
    refused(project, "revisions：是符号链接")


def test_a_symlink_to_dev_zero_is_refused_without_reading_it(project):
    real = project / "revisions" / SNAPSHOT
    real.unlink()
    real.symlink_to("/dev/zero")
    refused(project, f"revisions/{SNAPSHOT}：是符号链接")


def test_a_fifo_snapshot_does_not_hang(project):
    real = project / "revisions" / SNAPSHOT
    real.unlink()
    os.mkfifo(real)
    refused(project, f"revisions/{SNAPSHOT}：不是普通文件（命名管道）")


def test_a_fifo_manifest_does_not_hang(project):
    path = project / "revisions" / "manifest.json"
    path.unlink()
    os.mkfifo(path)
    refused(project, "revisions/manifest.json：不是普通文件（命名管道）")


def test_a_directory_in_place_of_a_snapshot_is_named(project):
    real = project / "revisions" / SNAPSHOT
    real.unlink()
    real.mkdir()
    refused(project, f"revisions/{SNAPSHOT}：不是普通文件（文件夹）")


def test_a_folder_nested_in_a_document_folder_is_named(project):
    (project / "revisions" / "XY-03" / "old").mkdir()
    (project / "revisions" / "XY-03" / "old" / "1.0.md").write_text("x", encoding="utf-8")
    refused(project, "revisions/XY-03/old：不应有的文件夹")


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device file needs root")
def test_a_device_file_is_named(project):
    real = project / "revisions" / SNAPSHOT
    real.unlink()
    os.mknod(real, stat.S_IFCHR | 0o600, os.makedev(1, 5))   # /dev/zero's numbers
    refused(project, f"revisions/{SNAPSHOT}：不是普通文件（设备文件）")


def test_an_oversized_snapshot_is_refused_unread(project):
    real = project / "revisions" / SNAPSHOT
    with open(real, "ab") as f:
        f.write(b"x" * (revisions.MAX_SNAPSHOT_BYTES + 1))
    rechain(project)
    refused(project, f"revisions/{SNAPSHOT}：文件过大（最多 {revisions.MAX_SNAPSHOT_BYTES:,} 字节")


def test_a_snapshot_at_the_size_limit_is_read(project):
    real = project / "revisions" / SNAPSHOT
    with open(real, "ab") as f:
        f.write(b"x" * (revisions.MAX_SNAPSHOT_BYTES - real.stat().st_size))
    assert real.stat().st_size == revisions.MAX_SNAPSHOT_BYTES
    rechain(project)
    assert not any("过大" in p for p in revisions.verify(project / "revisions"))


def test_an_oversized_manifest_is_refused_unread(project):
    path = project / "revisions" / "manifest.json"
    path.write_text(path.read_text(encoding="utf-8") + " " * revisions.MAX_MANIFEST_BYTES, encoding="utf-8")
    refused(project, f"revisions/manifest.json：文件过大（最多 {revisions.MAX_MANIFEST_BYTES:,} 字节")


@pytest.mark.parametrize("text", ["[" * 100_000, '{"format": "handbook-revisions/2", "revisions": [' + "{\"a\":" * 100_000])
def test_a_deeply_nested_manifest_gets_a_message(project, text):
    (project / "revisions" / "manifest.json").write_text(text, encoding="utf-8")
    refused(project, "revisions/manifest.json 嵌套过深")


def test_a_symlinked_register_is_refused(project, outside):
    reg = project / "calc" / "register.json"
    outside.write_text(reg.read_text(encoding="utf-8"), encoding="utf-8")
    reg.unlink()
    reg.symlink_to(outside)
    refused(project, "calc/register.json：是符号链接")


# --- entries that break the release rules (chain recomputed) -------------------------------

def _xy03_last(entries):
    return max(i for i, e in enumerate(entries) if e["document"] == "XY-03")


def _append(project, **fields):
    """A forged entry after XY-03's last, with a snapshot copied from it."""
    def edit(entries):
        last = entries[_xy03_last(entries)]
        new = {**last, **fields}
        new["file"] = f"{new['document']}/{new['version']}.md"
        src = project / "revisions" / last["file"]
        dst = project / "revisions" / new["file"]
        if ".." not in new["file"]:
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())
        return entries + [new]
    rechain(project, edit)


def test_a_version_skip_is_reported(project):
    _append(project, version="7.3", kind="editorial")
    refused(project, "XY-03 7.3）：编辑性修订应升次版本")


def test_an_effective_date_before_the_previous_one_is_reported(project):
    last = [e for e in manifest(project)["revisions"] if e["document"] == "XY-03"][-1]
    major, minor = map(int, last["version"].split("."))
    _append(project, version=f"{major}.{minor + 1}", effective="2000-01-01")
    refused(project, "生效日期 2000-01-01 早于上一版")


def test_a_release_in_the_future_is_reported(project):
    last = [e for e in manifest(project)["revisions"] if e["document"] == "XY-03"][-1]
    major, minor = map(int, last["version"].split("."))
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    _append(project, version=f"{major}.{minor + 1}", released=future, effective=future)
    refused(project, f"发布日期 {future} 晚于今天")


def test_released_dates_go_forward_through_the_record(project):
    def edit(entries):
        entries[1]["released"] = "2026-11-29"
        entries[2]["released"] = "2026-11-28"
        return entries
    rechain(project, edit)
    refused(project, "第 3 条记录（FW-03 1.0）：发布日期 2026-11-28 早于上一条记录的发布日期 2026-11-29")


def test_an_unknown_document_is_named_by_verify(project):
    _append(project, document="ZZ-01", version="1.0")
    refused(project, "ZZ-01 1.0）：docs/ 中没有文件 ZZ-01")
    proc = run(project, "build", "-q", "-d", str(project / "site"), module="mkdocs")
    assert proc.returncode != 0 and "KeyError" not in proc.stderr and "ZZ-01" in proc.stderr


@pytest.mark.parametrize("document", ["../docs/xinyong", "XY-03/../XY-03", "xy-03", "XY-031"])
def test_a_document_that_is_not_a_document_number_is_named(project, document):
    _append(project, document=document, version="9.0")
    lines = refused(project, f"文件编号应为两个大写字母、连字符和两位数字（如 XY-03），收到 {json.dumps(document)}")
    assert not any("KeyError" in line for line in lines)
