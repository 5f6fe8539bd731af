"""A decision table as the chapters show it (the shape of DMN): input and output columns,
one rule a row, the hit policy in words, and every cell that states a rule with the clause
that states it. `when` and `then` say, for the tests, which inputs a row is about and what
the calculator must answer for them (tests/test_decision_tables.py builds an input from
each row and runs the calculator)."""

from dataclasses import dataclass, field

from handbook.bands import BandSet

UNIQUE, FIRST = "unique", "first"
HIT_POLICY = {UNIQUE: "只有一行适用", FIRST: "按顺序第一行适用"}


@dataclass(frozen=True)
class Cell:
    text: str
    clauses: tuple[str, ...] = ()


def cell(text, *clauses: str) -> Cell:
    """A cell and the clauses that state what it says (duplicates and blanks dropped)."""
    return Cell(str(text), tuple(dict.fromkeys(c for c in clauses if c)))


ANY = Cell("—")   # DMN's "-": whatever the value, the row applies


@dataclass
class Row:
    cells: list[Cell]
    when: dict = field(default_factory=dict)
    then: dict = field(default_factory=dict)


@dataclass
class Table:
    """`name` is how the build's messages name the table; `caption` says what it decides."""
    key: str
    name: str
    caption: str
    hit: str
    inputs: list[str]
    outputs: list[str]
    rows: list[Row]
    notes: list[Cell] = field(default_factory=list)
    bands: list[BandSet] = field(default_factory=list)

    def __post_init__(self):
        if self.hit not in HIT_POLICY:
            raise ValueError(f"决策表“{self.name}”：未知的命中策略 {self.hit}")
        width = len(self.inputs) + len(self.outputs)
        for n, row in enumerate(self.rows, 1):
            if len(row.cells) != width:
                raise ValueError(f"决策表“{self.name}”第 {n} 行有 {len(row.cells)} 格，应为 {width} 格")

    @property
    def hit_policy(self) -> str:
        return HIT_POLICY[self.hit]
