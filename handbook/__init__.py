"""Build-side logic of the handbook: clauses and their anchors, the calculators' forms,
the Pyodide runtime copied into the site. MkDocs glue (macros.py, hooks/) stays thin and
calls into this package."""
