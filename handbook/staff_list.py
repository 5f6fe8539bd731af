"""The staff list for the receipts report: a CSV of 工号, 姓名, 岗位 (a unit or position of
the roster, by its name or id) and optionally 部门, as a spreadsheet writes it (UTF-8 with or
without BOM, or GBK). Every problem is one line in Chinese naming the file and the line."""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from calc import csv_table
from calc.errors import InputError
from handbook import roster

# The staff list's columns and the other names spreadsheets give them; 部门 is optional
# (without it a person's department is their position's unit in the roster).
COLUMNS = {"工号": ("工号", "员工编号", "职工编号", "员工号"), "姓名": ("姓名", "员工姓名"),
           "岗位": ("岗位", "岗位名称", "职位"), "部门": ("部门", "部门名称")}
REQUIRED = ("工号", "姓名", "岗位")
MAX_STAFF_BYTES = 20_000_000
MAX_ERRORS_SHOWN = 20


class StaffListError(ValueError):
    """Input that cannot be used: one line in Chinese per problem."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def os_reason(e: OSError) -> str:
    """Why a file could not be used, in Chinese (the system's own words are English)."""
    if isinstance(e, FileNotFoundError):
        return "不存在"
    if isinstance(e, PermissionError):
        return "没有权限"
    if isinstance(e, FileExistsError):
        return "已有同名的文件，不是文件夹"
    if isinstance(e, (IsADirectoryError, NotADirectoryError)):
        return "路径中有文件和文件夹混淆"
    return f"系统错误（errno {e.errno}）"


def employee_key(employee: str) -> str:
    """工号 as people type it: full-width letters and digits, spaces, either case."""
    return unicodedata.normalize("NFKC", employee).strip().upper()


def name_key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


# --- the staff list --------------------------------------------------------------------

@dataclass
class Person:
    line: int
    employee: str
    name: str
    role: str              # roster id
    department: str

    @property
    def role_name(self) -> str:
        return roster.name(self.role)


def position_of(text: str) -> str | None:
    """A unit or position of the roster by its id or its name."""
    entries = roster.entries()
    if text in entries:
        return text
    by_name = [k for k, e in entries.items() if e["name"] == text]
    return by_name[0] if len(by_name) == 1 else None


def read_staff(path: Path) -> list[Person]:
    where = f"人员名单 {path}"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StaffListError([f"{where}：文件不存在"]) from None
    except IsADirectoryError:
        raise StaffListError([f"{where}：是文件夹，应为 CSV 文件"]) from None
    except OSError as e:
        raise StaffListError([f"{where}：无法读取（{os_reason(e)}）"]) from None
    if len(data) > MAX_STAFF_BYTES:
        raise StaffListError([f"{where}：文件过大（{len(data):,} 字节，最多 {MAX_STAFF_BYTES:,} 字节）"])
    try:
        text, _ = csv_table.decode(data)
        header, lines, records = csv_table.read_rows(text)
        rows = [(line, dict(zip(header, (cell.strip() for cell in record)))) for line, record in zip(lines, records)]
    except (ValueError, InputError) as e:
        raise StaffListError([f"{where}：{getattr(e, 'message', e)}"]) from None
    columns, errors = {}, []
    for col, names in COLUMNS.items():
        found = [h for h in header if h in names]
        if len(found) > 1:
            errors.append(f"{where} 第 1 行：“{found[0]}”和“{found[1]}”是同一列（{col}），只能有一个")
        elif found:
            columns[col] = found[0]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        errors.append(f"{where} 第 1 行：表头缺少“{'”“'.join(missing)}”列（应有 工号、姓名、岗位 三列，部门可选；"
                      f"表头为：{'、'.join(h for h in header if h) or '空'}）")
    if errors:
        raise StaffListError(errors)
    people, seen = [], {}
    for line, row in rows:
        employee, name, position = (row.get(columns[c], "") or "" for c in REQUIRED)
        department = row.get(columns["部门"], "") if "部门" in columns else ""
        # A quote left open runs on over the next lines: say so, never read the run-on as a value.
        broken = [c for c, v in zip(REQUIRED + ("部门",), (employee, name, position, department)) if "\n" in v]
        if broken:
            errors.append(f"{where} 第 {line} 行：{'、'.join(broken)}中有换行，可能是引号不成对（后面的行被并进了这一格）")
            continue
        blank = [c for c, v in zip(REQUIRED, (employee, name, position)) if not v]
        if blank:
            errors.append(f"{where} 第 {line} 行：{'、'.join(blank)}为空")
            continue
        role = position_of(position)
        if role is None:
            errors.append(f"{where} 第 {line} 行：岗位“{position}”不在名册中（写名册中的岗位名称或 id，"
                          "如“信用专员”或 credit_officer；名册见 calc/company.toml）")
            continue
        if employee_key(employee) in seen:
            errors.append(f"{where} 第 {line} 行：工号 {employee} 与第 {seen[employee_key(employee)]} 行重复")
            continue
        seen[employee_key(employee)] = line
        people.append(Person(line, employee, name, role, department or roster.name(roster.unit_of(role))))
    if errors:
        more = len(errors) - MAX_ERRORS_SHOWN
        raise StaffListError(errors[:MAX_ERRORS_SHOWN] + ([f"{where}：另有 {more} 处错误未列出"] if more > 0 else []))
    return people
