"""docs/reliability.md shows the fault matrix as the last run of this folder produced it.

``UPDATE_RELIABILITY_DOCS=1`` rewrites the table from the run; otherwise every row the run
produced must be in the table as documented (ports, durations and ids normalised), and
when the whole matrix ran, the table holds no other rows.

Each row test also compares its own row as it finishes (conftest.record), so under
``pytest -n`` every row is compared whichever worker ran it; this test compares the rows of
its own worker again and the whole table when one process ran the whole matrix. Rewriting
needs every row in one process: ``UPDATE_RELIABILITY_DOCS=1 pytest -n 0 tests/reliability``.
"""
from __future__ import annotations

from .conftest import KINDS, PHASES, ROWS
from .doc_table import BEGIN, DOC, END, cell, documented, render, updating


def test_the_documented_table_is_what_the_run_produced(request):
    if updating() and ROWS:
        text = DOC.read_text(encoding="utf-8")
        head, tail = text[:text.index(BEGIN) + len(BEGIN)], text[text.index(END):]
        DOC.write_text(f"{head}\n{render(ROWS)}\n{tail}", encoding="utf-8")
    table = documented()
    assert {(p, k) for _, p, k in table} >= {(p, k) for p in PHASES for k in KINDS}, "a kind misses a phase"
    missing = [key for key in ROWS if key not in table]
    assert not missing, f"not in docs/reliability.md (UPDATE_RELIABILITY_DOCS=1 rewrites it): {missing}"
    # Every row that differs, each with what the run produced, so one failed run shows them all.
    differ = {key: {"documented": table[key], "produced": {"outcome": cell(row["outcome"]), "message": cell(row["message"])}}
              for key, row in ROWS.items()
              if table[key] != {"outcome": cell(row["outcome"]), "message": cell(row["message"])}}
    assert not differ, differ
    # The tests that record a row: the chaos loop records none.
    row_tests = [i for i in request.session.items if i.nodeid.startswith("tests/reliability/")
                 and i is not request.node and "test_chaos.py" not in i.nodeid]
    one_process = not hasattr(request.config, "workerinput")  # a pytest-xdist worker has only its share
    if one_process and len(row_tests) == len(table):  # the whole matrix ran: the table has nothing else
        assert set(ROWS) == set(table)
