"""python -m handbook release DOC --version X --kind editorial|substantive --summary "…"
                      [--effective YYYY-MM-DD] [--retroactive] [--approver ROLE]
   python -m handbook verify
   python -m handbook register
   python -m handbook impact [DOC ...]
   python -m handbook receipts DIR --staff STAFF.csv [--out OUT] [--today YYYY-MM-DD] [--site URL]
   python -m handbook form XY-04-F01 [--input 记录.json]

Releasing stores the document's text as it stands, unchangeable, and appends the revision
to the hash-chained record revisions/manifest.json. verify checks every snapshot and the
chain and names the first broken entry; register rewrites calc/register.json from the
manifest (the repair after a release interrupted before its last step). receipts checks a
folder of read receipts against the record and reports who must read what
(handbook/receipt_report.py, which documents its exit codes).
impact compares the working tree's parameters and rules with the version in force and
lists the decisions that flip (handbook/impact.py, which documents its exit status: 0
nothing flips, 1 some decision flips, 2 it could not compare); release shows the same
for the document it releases and records it in the snapshot.
form reads a form's values (a record saved from its page) with the page's own
Python (handbook/form_command.py)."""

import sys

from calc.command_line import Parser
from handbook import revisions
from handbook.release import AlreadyReleased, ReleaseError, release
from handbook.roster import UnknownRole


def main(argv=None) -> int:
    parser = Parser(prog="python -m handbook", description="受控文件的发布与校验")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令",
                                title="命令", help="release（发布）、verify（校验）、register（重新生成登记）、impact（影响评估）或 form（读取表单记录）")
    rel = sub.add_parser("release", help="发布一份文件的新版本")
    rel.add_argument("document", metavar="文件编号", help="如 XY-03")
    rel.add_argument("--version", required=True, metavar="版本号", help="新版本号，如 1.1 或 2.0")
    rel.add_argument("--kind", required=True, metavar="变更类型", help="变更类型：substantive（实质性）或 editorial（编辑性）")
    rel.add_argument("--summary", required=True, metavar="摘要", help="变更摘要")
    rel.add_argument("--effective", metavar="生效日期", help="生效日期 YYYY-MM-DD（默认为发布当日，且不早于上一版的生效日期）")
    rel.add_argument("--retroactive", action="store_true", help="允许生效日期早于发布日期（追溯生效）")
    rel.add_argument("--approver", metavar="批准人", help="批准人（名册中的岗位，默认为文件的批准人）")
    sub.add_parser("verify", help="校验全部已发布版本与哈希链未被改动")
    imp = sub.add_parser("impact", help="发布之前：工作区的参数与计算规则对照现行版本，列出结论改变的案例与界限两侧的情形",
                         description="对照各文件最近一次发布时的参数与计算规则（取自 git 历史），按各计算器的案例及"
                                     "改动界限两侧的组合各算一遍，列出结论改变的情形。退出码：0 没有结论改变；"
                                     "1 有结论改变；2 无法评估（没有 git 历史、最近一次发布尚未提交等）")
    imp.add_argument("documents", nargs="*", metavar="文件编号", help="只看这些文件（如 FW-03；默认全部）")
    sub.add_parser("register", help="由 revisions/manifest.json 重新生成 calc/register.json")
    rec = sub.add_parser("receipts", help="核对一个文件夹中的阅读确认书，按人员名单写出阅读情况报告")
    rec.add_argument("folder", help="确认书所在的文件夹（.json 与以前的 .txt 确认书，含子文件夹）")
    rec.add_argument("--staff", required=True, help="人员名单 CSV：工号、姓名、岗位（名册中的岗位名称或 id），部门可选")
    rec.add_argument("--out", default="receipts-report", help="报告写入的文件夹（默认 receipts-report）")
    rec.add_argument("--today", help="核对日期 YYYY-MM-DD（默认今天，北京时间）")
    rec.add_argument("--site", help="手册网站的地址，用于两版对照的链接（默认 SITE_URL 或 mkdocs.yml 的 site_url）")
    form = sub.add_parser("form", help="按表单页面的规则读取表单记录或所填内容（金额另写大写）")
    form.add_argument("form", metavar="表单", help="表单编号或 id，如 XY-04-F01")
    form.add_argument("--input", metavar="文件", help="表单记录或“栏目: 所填内容”的 JSON 文件（默认读标准输入）")
    args = parser.parse_args(argv)
    if args.command == "receipts":
        return _receipts(args)
    if args.command == "form":
        from handbook import form_command

        return form_command.main(args.form, args.input, sys.stdin)
    if args.command == "impact":
        from handbook import impact
        from handbook.release import ROOT

        return impact.main(ROOT, args.documents)
    if args.command == "verify":
        problems = revisions.verify()
        for p in problems:
            sys.stderr.write(p + "\n")
        if not problems:
            from handbook import history

            entries = revisions.entries()
            print(f"已校验 {len(entries)} 个已发布版本，均未被改动；哈希链头 {revisions.head(entries)}")
            print(history.check().note)
        return 1 if problems else 0
    if args.command == "register":
        try:
            entries = revisions.entries()
        except revisions.ManifestError as e:
            sys.stderr.write(f"{e}\n")
            return 1
        revisions.write_register(entries)
        print(f"已由 revisions/manifest.json 重新生成 calc/register.json（{len(entries)} 个版本）")
        return 0
    try:
        r = release(args.document, args.version, args.kind, args.summary, args.effective, args.approver,
                    retroactive=args.retroactive, show=lambda text: print(text, flush=True))
    except AlreadyReleased as e:
        print(e)
        return 0
    except (ReleaseError, UnknownRole, ValueError) as e:
        sys.stderr.write(f"{e}\n")
        return 2
    print(f"已发布 {r.document} 第 {r.version} 版（{revisions.KINDS[r.kind]}），生效日期 {r.effective}；"
          f"快照 revisions/{r.file}，SHA-256 {r.sha256[:12]}…；哈希链头 {r.hash}")
    return 0


def _receipts(args) -> int:
    from pathlib import Path

    from handbook.receipt_report import EXIT_BAD_INPUT, ReportError, run

    try:
        code, lines = run(Path(args.folder), Path(args.staff), Path(args.out), args.today, args.site)
    except ReportError as e:
        for line in e.lines:
            sys.stderr.write(line + "\n")
        return EXIT_BAD_INPUT
    for line in lines[:-1]:
        sys.stderr.write(line + "\n")
    print(lines[-1])
    return code


if __name__ == "__main__":
    sys.exit(main())
