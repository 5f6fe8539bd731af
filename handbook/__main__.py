"""python -m handbook release DOC --version X --kind editorial|substantive --summary "…"
                      [--effective YYYY-MM-DD] [--retroactive] [--approver ROLE]
   python -m handbook verify
   python -m handbook register
   python -m handbook form XY-04-F01 [--input 记录.json]

Releasing stores the document's text as it stands, unchangeable, and appends the revision
to the hash-chained record revisions/manifest.json. verify checks every snapshot and the
chain and names the first broken entry; register rewrites calc/register.json from the
manifest (the repair after a release interrupted before its last step); form reads a form's
values (a record saved from its page) with the page's own Python (handbook/form_command.py)."""

import sys

from calc.command_line import Parser
from handbook import revisions
from handbook.release import AlreadyReleased, ReleaseError, release
from handbook.roster import UnknownRole


def main(argv=None) -> int:
    parser = Parser(prog="python -m handbook", description="受控文件的发布与校验")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令",
                                title="命令", help="release（发布）、verify（校验）、register（重新生成登记）或 form（读取表单记录）")
    rel = sub.add_parser("release", help="发布一份文件的新版本")
    rel.add_argument("document", metavar="文件编号", help="如 XY-03")
    rel.add_argument("--version", required=True, metavar="版本号", help="新版本号，如 1.1 或 2.0")
    rel.add_argument("--kind", required=True, metavar="变更类型", help="变更类型：substantive（实质性）或 editorial（编辑性）")
    rel.add_argument("--summary", required=True, metavar="摘要", help="变更摘要")
    rel.add_argument("--effective", metavar="生效日期", help="生效日期 YYYY-MM-DD（默认为发布当日，且不早于上一版的生效日期）")
    rel.add_argument("--retroactive", action="store_true", help="允许生效日期早于发布日期（追溯生效）")
    rel.add_argument("--approver", metavar="批准人", help="批准人（名册中的岗位，默认为文件的批准人）")
    sub.add_parser("verify", help="校验全部已发布版本与哈希链未被改动")
    sub.add_parser("register", help="由 revisions/manifest.json 重新生成 calc/register.json")
    form = sub.add_parser("form", help="按表单页面的规则读取表单记录或所填内容（金额另写大写）")
    form.add_argument("form", metavar="表单", help="表单编号或 id，如 XY-04-F01")
    form.add_argument("--input", metavar="文件", help="表单记录或“栏目: 所填内容”的 JSON 文件（默认读标准输入）")
    args = parser.parse_args(argv)
    if args.command == "form":
        from handbook import form_command

        return form_command.main(args.form, args.input, sys.stdin)
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
                    retroactive=args.retroactive)
    except AlreadyReleased as e:
        print(e)
        return 0
    except (ReleaseError, UnknownRole, ValueError) as e:
        sys.stderr.write(f"{e}\n")
        return 2
    print(f"已发布 {r.document} 第 {r.version} 版（{revisions.KINDS[r.kind]}），生效日期 {r.effective}；"
          f"快照 revisions/{r.file}，SHA-256 {r.sha256[:12]}…；哈希链头 {r.hash}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
