"""客户信用与客户管理手册的计算器。

Plain Python, standard library only: the same code runs under CPython (command line,
tests, site build) and Pyodide (in the page). Every rule reads its parameters from
`policy.toml` and names the clause it implements.
"""

from calc.registry import CALCULATORS, run, run_json

__all__ = ["CALCULATORS", "run", "run_json"]
