"""Citations that name their subject: "大客户的界定见{{ clause("KH-05-3") }}" must point to
an article about that subject. The rule is deliberately narrow, to stay free of false
alarms: it looks only at "<subject>的定义/界定/含义见<citation>" and "<subject>（定义见…）",
and accepts a target article whose title is a definition article (定义、界定、含义、术语、
用语) or names the subject."""

import re
from pathlib import Path

from handbook import clauses, roster

_ARTICLE = re.compile(r"^### 第[一二三四五六七八九十百]+条\s*(.*?)\s*\{ #([A-Z]{2}-\d{2}-\d+) \}\s*$", re.M)
_ORG = re.compile(r"\{\{\s*org\.(\w+)\s*\}\}")
_HAN = r"[\u4e00-\u9fff]"
_CLAUSE = r"\{\{\s*clause\(\s*[\"']([A-Z]{2}-\d{2}-[\d-]+)[\"']\s*\)\s*\}\}"
_NAMED = re.compile(rf"({_HAN}{{1,12}})(?:的|（(?:其)?)(?:定义|界定|含义)(?:见|详见){_CLAUSE}")
DEFINITION_WORDS = ("定义", "界定", "含义", "术语", "用语")


def _org_names(text: str) -> str:
    names = roster.names()
    return _ORG.sub(lambda m: names.get(m[1], m[0]), text)


def article_titles(paths) -> dict[str, str]:
    """Article anchor -> title (roster names filled in), from the documents' sources."""
    titles = {}
    for path in paths:
        for m in _ARTICLE.finditer(Path(path).read_text(encoding="utf-8")):
            titles[m[2]] = _org_names(m[1])
    return titles


def _names_subject(title: str, subject: str) -> bool:
    """The title names the subject: it holds the subject's last three characters (or all of a
    shorter subject), so '大客户' matches '大客户的界定' but not '客户类别'."""
    return subject[-3:] in title


def mismatches(markdown: str, titles: dict[str, str]) -> list[str]:
    problems = []
    for m in _NAMED.finditer(_org_names(markdown)):
        subject, target = m[1], m[2]
        article = "-".join(target.split("-")[:3])
        title = titles.get(article)
        if title is None:
            continue  # a missing clause is reported by the citation check
        if any(w in title for w in DEFINITION_WORDS) or _names_subject(title, subject):
            continue
        problems.append(f"“{m[0]}”：{subject}的定义引用了{clauses.label(article)}“{title}”，"
                        f"该条标题既不是定义条款，也没有提到“{subject[-3:]}”")
    return problems
