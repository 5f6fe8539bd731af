"""python -m handbook form <表单编号或 id> [--input 文件]: a form's values read on the command
line by the page's own Python (calc/form_fill.py): a record saved from the form's page, or
an object of values as typed ({"栏目 id": "1.5万", ...}). Prints the values as read, as
printed (amounts with 大写) and, for a record, the notes the page shows on loading it.

Exit 0 with one JSON object; bad input exits 2 with one line in Chinese (the first wrong
field, and how many more) and nothing on standard output, as the calculators' command does."""

import json

from calc import form_fill
from calc.__main__ import OutputError, _decode, _drop_stdout, _emit, _read_file, _say
from calc.errors import InputError
from calc.registry import MAX_INPUT_CHARS


def spec_for(ref: str) -> dict:
    """The page's definition of a form named by its number (XY-04-F01) or id."""
    from handbook import documents, form_pages, forms, revisions

    docs, manifest = documents.load_all(), revisions.load()
    for fid, d in forms.all_definitions(docs).items():
        if ref in (fid, d["number"]) and manifest.get(d["document"]):
            return form_pages.spec(d, docs[d["document"]], manifest[d["document"]])
    raise InputError(None, f"没有表单 {ref}（表单编号如 XY-04-F01，见网站“表单清单”）")


def run(ref: str, text: str) -> dict:
    spec = spec_for(ref)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise InputError(None, "输入不是合法的 JSON：请给出表单页面保存的记录，或“栏目 id: 所填内容”的对象") from None
    notes = {}
    if isinstance(data, dict) and data.get("format") == form_fill.FORMAT:
        loaded = form_fill.load(spec, text)
        if "error" in loaded:
            raise InputError(None, loaded["error"])
        data = loaded["raw"]
        notes = {k: loaded[k] for k in ("notes", "changes", "left_out", "state", "made_by", "saved_at")}
    if not isinstance(data, dict):
        raise InputError(None, "输入应为表单记录，或“栏目 id: 所填内容”的对象")
    answer = form_fill.read(spec, data)
    if answer["errors"]:
        more = len(answer["errors"]) - 1
        raise InputError(None, answer["errors"][0]["message"] + (f"；另有 {more} 处有误" if more else ""))
    return {"form": spec["id"], "number": spec["number"], "name": spec["name"], "document": spec["document"],
            "version": spec["version"], "sha256": spec["sha256"], "values": answer["values"],
            "shown": answer["shown"], "words": answer["words"], "notes": [], "changes": [], "left_out": [], **notes}


def main(ref: str, input_path: str | None, stdin) -> int:
    try:
        if input_path:
            text = _read_file(input_path)
        elif stdin is None:
            raise InputError(None, "标准输入已关闭：请用 --input 给出输入文件，或从标准输入传入 JSON")
        else:
            text = _decode(stdin.buffer.read(MAX_INPUT_CHARS * 4 + 1), "标准输入")
        _emit(run(ref, text))
        return 0
    except InputError as e:
        _say(str(e))
        return 2
    except OutputError as e:
        _drop_stdout()
        _say(f"无法写出结果：{e}")
        return 1
