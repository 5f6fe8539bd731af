"""新员工入门: for each unit and position, what it does (duty by duty, process steps, forms),
the numbers it must know, the calculators it uses, its reading path and its self-check.

Everything comes from the data the documents are built from: the roster, each document's
data file (duties, processes, forms), the parameter file and the calculators. Questions live
in handbook/data/onboarding.toml; an answer that is a number is read from the parameter file,
an answer that is a decision is computed by the calculator itself, so neither can go stale.
"""

import hashlib
import json
import math
import re
from fractions import Fraction
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from calc.parameters import policy, quantity
from calc.registry import get, listing, run
from handbook import clauses, roster, templates
from handbook.pages import lookup as _lookup
from handbook.documents import Document, form_roles
from handbook.revision_pages import chain_head, redline_src

DATA = Path(__file__).resolve().parent / "data" / "onboarding.toml"
# Reading speed for regulations (characters a minute): careful reading, not skimming.
CHARS_PER_MINUTE = 400


@dataclass
class Task:
    kind: str        # duty | step | approve | form | owner | executing | supervising
    doc: str
    text: str
    clause: str | None = None
    via_unit: bool = False   # the position's department must do it


@dataclass
class RoleWork:
    role: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        return sorted({t.doc for t in self.tasks}, key=_doc_order)


def _doc_order(number: str) -> tuple[int, str]:
    return ("XYKHFW".index(number[:2]) // 2, number)


def work(docs: dict[str, Document]) -> dict[str, RoleWork]:
    """Everything each unit or position must do, across all documents."""
    out: dict[str, RoleWork] = {}

    def add(role: str, task: Task) -> None:
        out.setdefault(role, RoleWork(role)).tasks.append(task)

    for d in sorted(docs.values(), key=lambda d: _doc_order(d.number)):
        for key, kind in (("owner", "owner"), ("approver", "approver")):
            add(d.meta[key], Task(kind, d.number, f"{'归口管理' if kind == 'owner' else '批准'}本文件"))
        for key in ("executing", "supervising"):
            for r in d.meta[key]:
                add(r, Task(key, d.number, f"{'执行' if key == 'executing' else '监督'}本文件"))
        for duty in d.data.get("duty", []):
            add(duty["role"], Task("duty", d.number, duty["text"], duty["clause"]))
        for p in d.data.get("process", []):
            for i, s in enumerate(p["step"], 1):
                ref = s.get("clause") or p["clause"]
                add(s["performer"], Task("step", d.number, f"{p['title']}第{i}步：{s['text']}", ref))
                if s.get("approver"):
                    add(s["approver"], Task("approve", d.number, f"{p['title']}第{i}步：审批“{s['text']}”", ref))
        for f in d.data.get("form", []):
            for r in form_roles(f, "filled_by"):
                add(r, Task("form", d.number, f"填写《{f['name']}》", f["clause"]))
            for r in form_roles(f, "kept_by"):
                add(r, Task("form", d.number, f"保管《{f['name']}》", f["clause"]))
    return out


def members(role: str) -> list[str]:
    """A position is also bound by what its unit must do; a unit by itself."""
    unit = roster.unit_of(role)
    return [role] if unit == role else [role, unit]


def reading_minutes(doc: Document) -> int:
    text = re.sub(r"\{\{.*?\}\}|[#|*>\-{}]", "", doc.path.read_text(encoding="utf-8"))
    return max(1, math.ceil(len(re.sub(r"\s", "", text)) / CHARS_PER_MINUTE))


def _reason(tasks: list[Task]) -> str:
    counts = {}
    for t in tasks:
        counts[t.kind] = counts.get(t.kind, 0) + 1
    parts = []
    for kind, word in (("owner", "归口管理本文件"), ("approver", "批准本文件")):
        if counts.get(kind):
            own = [t for t in tasks if t.kind == kind]
            parts.append(("本部门" if all(t.via_unit for t in own) else "") + word)
    for kind, word in (("duty", "项职责"), ("step", "个流程步骤"), ("approve", "项审批"), ("form", "项表单事务")):
        if counts.get(kind):
            parts.append(f"{counts[kind]}{word}")
    if not parts:
        parts.append(("本部门" if all(t.via_unit for t in tasks) else "")
                     + ("执行" if counts.get("executing") else "监督") + "本文件")
    return "与本岗位有关：" + "、".join(parts)


def _parameters_of(clause_ids: set[str]) -> list[dict]:
    """Parameters stated in the articles that give the role its work."""
    articles = {_article(c) for c in clause_ids}
    found, seen = [], set()

    def walk(node, path):
        if isinstance(node, dict):
            if "value" in node and isinstance(node.get("clause"), str) and not isinstance(node["value"], (list, dict)):
                if _article(node["clause"]) in articles and path not in seen:
                    seen.add(path)
                    found.append({"path": path, "clause": node["clause"], "text": quantity(node),
                                  "description": node.get("description", "")})
                return
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else k)

    for section, node in policy().items():
        if section != "documents":
            walk(node, section)
    return sorted(found, key=lambda p: p["clause"])


def _article(clause: str) -> str:
    m = clauses.parse(clause)
    return f"{m['doc']}-{m['article']}"


@dataclass
class Question:
    id: str
    ask: str
    options: list[str]
    answer: int          # index into options
    clause: str
    explain: str
    document: str | None = None   # whose readers are asked it; else the clause's document


def _options(correct: str, others: list[str], declared: list[str] | None = None) -> list[str]:
    """Up to four options in a stable order that never gives the answer away: by the number
    they state, else in the order the question declares them, else by their text."""
    opts = ([correct] + [o for o in dict.fromkeys(others) if o != correct])[:4]
    nums = [re.search(r"\d+(\.\d+)?", o) for o in opts]
    if all(nums):
        return sorted(opts, key=lambda o: float(re.search(r"\d+(\.\d+)?", o)[0]))
    if declared:
        return sorted(opts, key=lambda o: declared.index(o) if o in declared else len(declared))
    return sorted(opts)


def _near_values(qid: str, value) -> list:
    """Wrong numbers for a number question: halves, thirds, doubles and triples of the right
    one, as many below it as the question's id picks (stable from build to build), so the
    right answer is not always the smallest option."""
    if not isinstance(value, (int, float)) or not value:
        return []
    below = [value * f for f in (Fraction(1, 2), Fraction(1, 4), Fraction(1, 3))]
    # Whole numbers stay whole (no "2.5个工作日"); others keep at most one decimal place.
    below = [v for v in below if (v if isinstance(value, int) else v * 10).denominator == 1 and v >= 1 or
             not isinstance(value, int) and (v * 10).denominator == 1]
    above = [value * k for k in (2, 3, 4)]
    want = int(hashlib.sha256(qid.encode()).hexdigest(), 16) % 4   # 0..3 options below
    want = min(want, len(below))
    picked = below[:want] + above[:3 - want]
    return [int(v) if Fraction(v).denominator == 1 else float(v) for v in picked]


def _who(q: dict, docs: dict[str, Document]) -> tuple[str, str, list[str]]:
    """A `duty` or `form` question: who does it, from the documents' data (the clause, the
    roster name and the other units and positions named in the same document)."""
    if "duty" in q:
        number = clauses.parse(q["duty"])["doc"]
        hits = [d for d in docs[number].data.get("duty", []) if d["clause"] == q["duty"]]
        if len(hits) != 1:
            raise ValueError(f"自测题 {q['id']}：{q['duty']} 应恰有一项职责，找到 {len(hits)} 项")
        roles, clause = [hits[0]["role"]], q["duty"]
    else:
        number, form = next((n, f) for n, d in docs.items() for f in d.data.get("form", []) if f["id"] == q["form"])
        roles, clause = form_roles(form, q["answer_from"]), form["clause"]
    named = [d["role"] for d in docs[number].data.get("duty", [])]
    named += [r for f in docs[number].data.get("form", []) for k in ("filled_by", "kept_by") for r in form_roles(f, k)]
    others = [roster.name(r) for r in dict.fromkeys(named) if r not in roles]
    return clause, "、".join(roster.name(r) for r in roles), others


def _case_question(q: dict) -> Question:
    """A `case` question: a worked case of handbook/data/cases told as its situation, the
    calculator's outcomes as options in their own order (so the order gives nothing away),
    the answer the case expects (checked against the calculator, as the chapters' 案例 are),
    explained by the case's why and clause. Asked of those who read the calculator's document."""
    from handbook import case_files, worked_examples

    name = q["case"]
    case = next((c for c in case_files.load(name)["cases"] if c["name"] == q["name"]), None)
    if case is None:
        raise ValueError(f"自测题 {q['id']}：handbook/data/cases/{name}.json 中没有名为“{q['name']}”的判例")
    module = get(name)
    labels = getattr(module, "OUTCOME_LABELS", None)
    if not labels:
        raise ValueError(f"自测题 {q['id']}：“{module.TITLE}”的结论不是几种固定的结论，不能据此出选择题")
    try:
        worked_examples.checked(name, case)
    except ValueError as e:
        raise ValueError(f"自测题 {q['id']}：{e}") from None
    options = list(labels.values())
    ask = "；".join(worked_examples.situation(name, case["input"])) + "。" + q.get("ask", "按规定，结论是？")
    return Question(q["id"], ask, options, options.index(labels[case["expect"][module.OUTCOME]]),
                    case["clause"], case["why"] + "。", policy()[module.SECTION]["document"])


def question(q: dict, docs: dict[str, Document] | None = None) -> Question:
    """One self-check question, its answer taken from the parameter file, a calculator, a
    worked case or the documents' data (who does a duty, who fills or keeps a form)."""
    if "case" in q:
        return _case_question(q)
    if "duty" in q or "form" in q:
        from handbook import documents
        clause, correct, others = _who(q, docs or documents.load_all())
        opts = _options(correct, others[:3])
        return Question(q["id"], q["ask"], opts, opts.index(correct), clause, q["explain"].format(answer=correct))
    if "param" in q:
        p = _lookup(q["param"])
        fmt = q.get("format", "{}")
        correct = fmt.format(quantity(p))
        others = [fmt.format(quantity(_lookup(o))) for o in q.get("others", [])]
        others += [fmt.format(f"{v:g}{p.get('unit', '')}") for v in _near_values(q["id"], p["value"])]
        opts = _options(correct, others)
        # The explanation is written for people (onboarding.toml `explain`, with {answer}),
        # never joined from a parameter's technical description.
        return Question(q["id"], q["ask"], opts, opts.index(correct), p["clause"],
                        q["explain"].format(answer=quantity(p)))
    result = run(q["calculator"], q["input"])
    value = result
    for key in q["answer_from"].split("."):
        value = value[key]
    correct = q["answers"][str(value)] if "answers" in q else str(value)
    choices = list(q["answers"].values()) if "answers" in q else []
    if q.get("choices") == "credit_roles":
        choices = [roster.name(r) for r in ("credit_officer", "credit_manager", "key_account_credit_manager",
                                             "finance_manager")]
    opts = _options(correct, choices, choices)
    failed = [c for c in result["checks"] if c["status"] == "fail"]
    clause = q.get("clause") or (failed[0]["clause"] if failed else result["checks"][0]["clause"])
    module = get(q["calculator"])
    doc = policy()["documents"][policy()[module.SECTION]["document"]]
    return Question(q["id"], q["ask"], opts, opts.index(correct), clause,
                    f"{result['reason']}。（此答案由《{doc['title']}》所附的计算器“{module.TITLE}”按现行规定算出）")


def data() -> dict:
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


def questions_for(role: str, documents: list[str] | None = None) -> list[Question]:
    """The questions for a unit or position: those its scope names (a unit covers its
    positions) and, for a position, only on the documents of its own reading path, so a
    service technician is not asked how to grade a customer."""
    roles = set(members(role))
    out = []
    for q in data()["question"]:
        scope = q.get("roles", ["all"])
        if not ("all" in scope or roles & set(scope)):
            continue
        made = question(q)
        if documents is None or (made.document or clauses.parse(made.clause)["doc"]) in documents:
            out.append(made)
    return out


def calculators_for(doc_numbers: list[str], clause_ids: set[str] | None = None) -> list[dict]:
    """The calculators of these documents; given the role's clauses, only those applying an
    article the role works under (KH-03 has two calculators; FW-03's is not finance's)."""
    found = [c for c in listing() if c["document"] in doc_numbers]
    if clause_ids is None:
        return found
    articles = {_article(c) for c in clause_ids}
    return [c for c in found if articles & {_article(x) for x in c["clauses"]}]


def roles() -> list[dict]:
    """Every unit and position of the roster, units first with their positions after them."""
    entries = roster.entries()
    out = []
    for unit in (e for e in entries.values() if e["kind_of"] == "unit"):
        out.append({"id": unit["id"], "name": unit["name"], "unit": None})
        out += [{"id": e["id"], "name": e["name"], "unit": unit["name"]} for e in entries.values()
                if e["kind_of"] == "position" and e.get("unit") == unit["id"]]
    return out


def _tasks(role: str, all_work: dict[str, RoleWork]) -> list[Task]:
    tasks = [t if m == role else replace(t, via_unit=True)
             for m in members(role) for t in (all_work[m].tasks if m in all_work else [])]
    if not tasks and roster.entries()[role]["kind_of"] == "unit":
        # A unit given no work of its own (公司领导): what its positions do.
        tasks = [t for e in roster.entries().values() if e.get("unit") == role
                 for t in (all_work[e["id"]].tasks if e["id"] in all_work else [])]
    return tasks


_WORK_KINDS = ("duty", "step", "approve", "form")


def _cited(task: Task) -> set[str]:
    """The documents a task brings to the reader: where it is written and the one its
    clause belongs to (an XY-04 step may rest on KH-04 第十四条)."""
    return {task.doc} | ({clauses.parse(task.clause)["doc"]} if task.clause else set())


def _priority(tasks: list[Task], numbers: set[str]) -> list[str]:
    """Documents in reading order: those holding most of the role's own work first (its
    duties, steps, approvals, forms), then those it only owns, approves, executes or
    supervises; the register's order among equals."""
    def weight(n: str) -> tuple:
        mine = [t for t in tasks if n in _cited(t)]
        return (-sum(t.kind in _WORK_KINDS for t in mine), -len(mine), _doc_order(n))
    return sorted(numbers, key=weight)


def _own_work(role: str, all_work: dict[str, RoleWork]) -> tuple[list[Task], list[Task]]:
    """The role's own tasks and its department's, apart."""
    tasks = _tasks(role, all_work)
    own = [t for t in tasks if not t.via_unit]
    unit_tasks = [t for t in tasks if t.via_unit]
    if not own:                       # a position the documents give nothing of its own
        own, unit_tasks = unit_tasks, []
    return own, unit_tasks


def reading_path(role: str, docs: dict[str, Document], all_work: dict[str, RoleWork]) -> list[str]:
    """The documents of a role's reading path, in reading order: what its receipt lists and
    what the receipts report checks for each person of that position."""
    own, _ = _own_work(role, all_work)
    return _priority(own, set().union(*(_cited(t) for t in own)) & set(docs))


def profile(role: str, docs: dict[str, Document], all_work: dict[str, RoleWork]) -> dict:
    """What the page shows for one unit or position. A position's reading path holds the
    documents its own work cites, most work first; its department's work is shown apart
    (and its other documents offered as further reading), never mixed into the position's."""
    own, unit_tasks = _own_work(role, all_work)
    numbers = reading_path(role, docs, all_work)
    further = [n for n in sorted({t.doc for t in unit_tasks}, key=_doc_order) if n not in numbers]
    path = [{"doc": docs[n], "reason": _reason([t for t in own if n in _cited(t)]),
             "minutes": reading_minutes(docs[n])} for n in numbers]
    clause_ids = {t.clause for t in own if t.clause}
    return {"role": role, "name": roster.name(role), "tasks": own, "unit_tasks": unit_tasks,
            "path": path, "further": [{"doc": docs[n], "minutes": reading_minutes(docs[n])} for n in further],
            "parameters": _parameters_of(clause_ids), "calculators": calculators_for(numbers, clause_ids),
            "questions": questions_for(role, numbers)}


# --- pages ----------------------------------------------------------------------------

PAGES_DIR = "onboarding"
_KIND_HEADINGS = (("duty", "职责"), ("step", "参与的流程步骤"), ("approve", "审批"),
                  ("form", "填写或保管的表单"))


def role_src(role: str) -> str:
    return f"{PAGES_DIR}/{role}.md"


def _releases(manifest: dict) -> dict[str, list]:
    return {n: list(revs) for n, revs in manifest.items()}


def role_page(role: str, docs: dict[str, Document], all_work: dict[str, RoleWork], linker,
              manifest: dict | None = None) -> str:
    """One position's page: its work, numbers, calculators, reading path and self-check, and
    (given the release record) its read receipt."""
    p = profile(role, docs, all_work)
    out = ["---", "search:", "  exclude: true", "---", "",
           f"# 新员工入门：{p['name']}", "",
           f'<div class="onb-role" data-onboarding-role="{role}" data-role-name="{p["name"]}"></div>', "",
           f"[← 返回新员工入门](../onboarding.md)　本页按{p['name']}在全部受控文件中的职责、流程、表单和参数自动生成。", ""]
    out += ["## 阅读路径 { #path }", "",
            "按顺序阅读；读完一份勾选“已读”，进度只保存在本浏览器中。", "",
            '<p class="onb-progress" data-reading-progress></p>', ""]
    total = 0
    for i, item in enumerate(p["path"], 1):
        d = item["doc"]
        total += item["minutes"]
        out.append(f"{i}. {linker.doc(d)}{{ data-read-doc=\"{d.number}\" data-version=\"{d.version}\" }}　约 {item['minutes']} 分钟。{item['reason']}")
    out += ["", f"合计约 {total} 分钟。", ""]
    if p["further"]:
        out += ["选读（本部门的其他文件，本岗位在其中没有自己的职责）：" + "、".join(
            f"{linker.doc(item['doc'])}（约 {item['minutes']} 分钟）" for item in p["further"]), ""]
    out += ["## 本岗位做什么 { #work }", ""]
    out += _task_lists(p["tasks"], docs, linker, "###")
    if p["unit_tasks"]:
        unit = roster.name(roster.unit_of(role))
        out += ['<details class="onb-unit" markdown="1">',
                f"<summary>{unit}的职责（本岗位所在部门的工作，供了解；共 {len(p['unit_tasks'])} 项）</summary>", ""]
        out += _task_lists(p["unit_tasks"], docs, linker, "####")
        out += ["</details>", ""]
    out += ["## 须知道的数字 { #numbers }", ""]
    if p["parameters"]:
        out += ["下列数值取自手册的参数文件，制度修订时随之更新。", "",
                "| 事项 | 数值 | 条款 |", "| --- | --- | --- |"]
        out += [f"| {_cell(x['description'])} | {x['text']} | {linker.link(x['clause'])} |" for x in p["parameters"]]
    else:
        out.append("本岗位的条款中没有须记住的数值。")
    out += ["", "## 用到的计算器 { #calculators }", ""]
    if p["calculators"]:
        out += [f"- {c['title']}：{linker.doc(docs[c['document']])}" for c in p["calculators"]]
    else:
        out.append("本岗位的文件中没有计算器。")
    out += ["", "## 自测 { #quiz }", "", "每题选一项，全部答完后点“交卷”；成绩只在本浏览器中计算，不发送到任何地方。", ""]
    out.append(quiz(p["questions"], linker))
    if manifest is not None:
        out += ["", "## 阅读确认书 { #receipt }", "",
                f"读完阅读路径中的文件、做完自测后，填写姓名和工号，生成本岗位的阅读确认书：下载 JSON 文件（电子记录）"
                f"并打印签字，一并交行政人事部存档。确认书能证明什么、不能证明什么，见[新员工入门](../onboarding.md#receipt)。",
                "", receipt_form(docs, manifest, all_work, role)]
    return "\n".join(out) + "\n"


def _task_lists(tasks: list[Task], docs: dict[str, Document], linker, level: str) -> list[str]:
    out = []
    for kind, heading in _KIND_HEADINGS:
        found = [t for t in tasks if t.kind == kind]
        if found:
            out += [f"{level} {heading}", ""]
            out += [f"- {t.text}（{linker.link(t.clause)}）" for t in found]
            out.append("")
    files = [t for t in tasks if t.kind in ("owner", "approver", "executing", "supervising")]
    if files:
        out += [f"{level} 归口、批准、执行或监督的文件", ""]
        out += [f"- {t.text}：{linker.doc(docs[t.doc])}" for t in files]
        out.append("")
    return out


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def quiz(questions: list[Question], linker) -> str:
    out = ['<form class="onb-quiz" data-quiz markdown="1">', ""]
    for n, q in enumerate(questions, 1):
        out.append(f'<fieldset class="onb-q" data-question="{q.id}" data-answer="{q.answer}" markdown="1">')
        out.append(f"<legend>{n}. {q.ask}</legend>")
        out.append("")
        for i, opt in enumerate(q.options):
            out.append(f'<label class="onb-opt"><input type="radio" name="q-{q.id}" value="{i}"> {opt}</label>')
        out.append("")
        out.append(f'<div class="onb-explain" hidden markdown="1">')
        out.append("")
        out.append(f"正确答案：{q.options[q.answer]}。{q.explain}（{linker.link(q.clause)}）")
        out.append("")
        out.append("</div>")
        out.append("</fieldset>")
        out.append("")
    out += ['<p><button type="submit" class="md-button md-button--primary">交卷</button></p>',
            '<p class="onb-score" data-quiz-score role="status" aria-live="polite"></p>', "</form>"]
    return "\n".join(out)


def pages(docs: dict[str, Document], linker_for, manifest: dict | None = None) -> dict[str, str]:
    """src_uri -> Markdown of every position's page; linker_for(src) gives that page's linker."""
    all_work = work(docs)
    return {role_src(r["id"]): role_page(r["id"], docs, all_work, linker_for(role_src(r["id"])), manifest)
            for r in roles()}


def start_page(docs: dict[str, Document], manifest: dict, linker) -> str:
    """The position picker (links work without script; the page remembers the choice) and
    the read receipt, for the start page."""
    out = ['<div class="onb-picker" data-onboarding-picker markdown="1">', ""]
    unit = None
    for r in roles():
        if r["unit"] is None:
            unit = r["name"]
            out.append(f"- **[{r['name']}]({role_src(r['id'])})**" + "{ data-role=\"" + r["id"] + "\" }")
        else:
            out.append(f"    - [{r['name']}]({role_src(r['id'])})" + "{ data-role=\"" + r["id"] + "\" }")
    out += ["", "</div>", ""]
    return "\n".join(out)


def release_data(docs: dict[str, Document], manifest: dict) -> list[dict]:
    """What the receipt names and what its check compares against: every release, with the
    document's page and each revision's redline against the one before (addresses from the
    site root), for the check's links."""
    out = []
    for number in sorted(manifest, key=_doc_order):
        revs, doc = manifest[number], docs[number]
        out.append({"doc": number, "title": doc.title, "url": doc.src_uri[:-3] + "/",
                    "revisions": [{"version": r.version, "kind": r.kind, "released": r.released,
                                   "effective": r.effective, "sha256": r.sha256,
                                   "redline": redline_src(doc, revs[k - 1], r)[:-3] + "/" if k else None}
                                  for k, r in enumerate(revs)]})
    return out


def receipt_roles(docs: dict[str, Document], manifest: dict, all_work: dict[str, RoleWork],
                  only: str | None = None) -> list[dict]:
    """What a receipt names for each unit and position (or the one given): its roster id and
    name, its department, and the released documents of its reading path."""
    out = []
    for r in roles():
        if only is None or r["id"] == only:
            path = [n for n in reading_path(r["id"], docs, all_work) if n in manifest]
            out.append({"id": r["id"], "name": r["name"], "unit": r["unit"] or "", "path": path})
    return out


def receipt_form(docs: dict[str, Document], manifest: dict, all_work: dict[str, RoleWork] | None = None,
                 role: str | None = None) -> str:
    """The read receipt (read-receipt.html, made by read-receipt.js): for one position on its
    page, or for the position picked on the start page."""
    all_work = work(docs) if all_work is None else all_work
    entries = receipt_roles(docs, manifest, all_work, role)
    wanted = {n for e in entries for n in e["path"]}
    releases = [r for r in release_data(docs, manifest) if r["doc"] in wanted]
    return templates.render("read-receipt.html", role=entries[0] if role else None, roles=entries,
                            roles_json=json.dumps(entries, ensure_ascii=False),
                            releases_json=json.dumps(releases, ensure_ascii=False), chain_head=chain_head())


def recent_releases(docs: dict[str, Document], manifest: dict, linker, n: int = 8) -> str:
    """最近更新 on the home page: the newest releases, newest first."""
    rows = sorted(((r.released, r.document, r) for revs in manifest.values() for r in revs),
                  key=lambda t: (t[0], t[1]), reverse=True)[:n]
    kinds = {"substantive": "实质性修订", "editorial": "编辑性修订"}
    lines = ["| 发布日期 | 文件 | 版本 | 类型 | 摘要 | 生效日期 |", "| --- | --- | --- | --- | --- | --- |"]
    for released, number, r in rows:
        lines.append(f"| {released} | {linker.doc(docs[number])} | {r.version} | {kinds.get(r.kind, r.kind)} | "
                     f"{_cell(r.summary)} | {r.effective} |")
    return "\n".join(lines) + "\n"
