"""What keeping and comparing revisions costs, on a synthetic handbook generated on the fly:
200 documents of 40 articles, up to 10 revisions each (every revision rewords a few
articles, changes a number, adds one article and moves another).

Prints, for 1, 2, 5 and 10 revisions per document:
  build: what the site build does for revisions: cut every revision into words (jieba)
         and compute the redline of each revision against the one before (then HTML);
  per revision: build time divided by the number of revisions (flat = linear growth);
and the time of one comparison of two revisions of a 40-article document (calc/redline.py;
the comparison page runs the same rules ported to plain script, redline.js), beside a
baseline measured in the same run: difflib's unified diff of the whole text, line by line
(no clauses, no words).

Run: PYTHONPATH=. .venv/bin/python bench/revisions.py [--documents N] [--articles N]
"""

import argparse
import difflib
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calc import redline  # noqa: E402
from handbook import articles  # noqa: E402

WORDS = ("客户", "信用", "额度", "期限", "应收账款", "逾期", "审批", "财务部", "营销部", "合同", "发货", "回款",
         "业务主管", "资信", "调查", "评定", "等级", "档案", "报送", "季度", "应当", "不得", "按照", "规定", "办理")


def sentence(rnd: random.Random) -> str:
    return "".join(rnd.choice(WORDS) for _ in range(rnd.randint(12, 30))) + f"，期限为{rnd.randint(1, 90)}天。"


def revise(doc: str, arts: list[tuple[str, str]], rnd: random.Random) -> list[tuple[str, str]]:
    arts = list(arts)
    for _ in range(3):  # reword
        k = rnd.randrange(len(arts))
        title, text = arts[k]
        arts[k] = (title, text.replace(rnd.choice(WORDS), rnd.choice(WORDS), 1))
    k = rnd.randrange(len(arts))  # change a number
    arts[k] = (arts[k][0], arts[k][1].replace("天。", "0天。", 1))
    arts.insert(rnd.randrange(len(arts)), ("新增条款", sentence(rnd)))  # add
    arts.append(arts.pop(rnd.randrange(len(arts))))  # move
    return arts


def markdown(doc: str, arts: list[tuple[str, str]]) -> str:
    cn = "一二三四五六七八九十"

    def number(n: int) -> str:
        tens, ones = divmod(n, 10)
        return (("" if tens == 1 else cn[tens - 1]) + "十" if tens else "") + (cn[ones - 1] if ones else "")

    return "".join(f"### 第{number(i)}条　{t} {{ #{doc}-{i} }}\n\n{x}\n\n" for i, (t, x) in enumerate(arts, 1))


def handbook(documents: int, n_articles: int, revisions: int, seed: int = 7) -> dict[str, list[str]]:
    rnd = random.Random(seed)
    out = {}
    for d in range(documents):
        doc = f"ZZ-{d % 100:02d}" if d < 100 else f"ZY-{d % 100:02d}"
        arts = [(f"第{k}项规定", sentence(rnd)) for k in range(n_articles)]
        versions = []
        for _ in range(revisions):
            versions.append(markdown(doc, arts))
            arts = revise(doc, arts, rnd)
        out[doc] = versions
    return out


def build(book: dict[str, list[str]]) -> float:
    t0 = time.perf_counter()
    for versions in book.values():
        cut = [articles.tokenised(v) for v in versions]
        for old, new in zip(cut, cut[1:]):
            redline.render(redline.compare(old, new), "旧", "新")
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=200)
    ap.add_argument("--articles", type=int, default=40)
    args = ap.parse_args()
    articles.tokenised("### 第一条　预热 { #ZZ-00-1 }\n\n预热。\n")  # load jieba once, outside the timings

    print(f"synthetic handbook: {args.documents} documents × {args.articles} articles")
    print(f"{'revisions':>10}{'build':>12}{'per revision':>15}")
    per = []
    for r in (1, 2, 5, 10):
        book = handbook(args.documents, args.articles, r)
        seconds = build(book)
        per.append(seconds / r)
        print(f"{r:>10}{seconds:>11.2f}s{seconds / r:>14.3f}s")

    book = handbook(20, args.articles, 2)
    pairs = [[articles.tokenised(v) for v in versions] for versions in book.values()]
    texts = [[v.splitlines() for v in versions] for versions in book.values()]
    ours, base = [], []
    for (old, new), (a, b) in zip(pairs, texts):
        t0 = time.perf_counter()
        redline.render(redline.compare(old, new), "旧", "新")
        ours.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        list(difflib.unified_diff(a, b, lineterm=""))
        base.append((time.perf_counter() - t0) * 1000)
    o, b = statistics.median(ours), statistics.median(base)
    print(f"one comparison of two {args.articles}-article revisions: clause-by-clause redline {o:.1f} ms, "
          f"baseline line diff {b:.1f} ms ({o / b:.1f}x)")
    growth = per[-1] / per[1]
    print(f"summary: build {per[-1]:.2f} s per revision at 10 revisions vs {per[1]:.2f} s at 2 "
          f"({growth:.2f}x: {'linear' if growth < 1.5 else 'NOT linear'}); one comparison {o:.1f} ms")


if __name__ == "__main__":
    main()
