"""The codebook's per-batch trace tests (codebook.workbook.batch_trace, polars over a batch of
rows) against the scanner's per-cell ones (workbook.cells.dataverse_numeric, the line-break test of
`_trace_row_end`): random values, Java's number grammar at its edges included."""

from __future__ import annotations

import os

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabcheck.codebook.workbook import batch_trace
from tabcheck.facts.workbook import IngestTrace
from tabcheck.workbook.cells import dataverse_numeric

EXAMPLES = int(os.environ.get("TABCHECK_UNF_EXAMPLES", "300"))
EDGES = [
    "", "1", "-0", " 1.5 ", "\t7\n", "1e400", "1E+20", "0x1p3", "0X.8P1", "1d", "2F", "1.", ".5",
    "+.5e-3", "NaN", "-NaN", "Infinity", "-Infinity", "inf", "+Inf", "-INF", "NA", "na", ".", "null",
    "NULL", "nan ", "1_000", "١٢٣", "1,5", "e5", "1e", "--1", "İnf", "0x1", "abc", "a\tb", "x\ny", "z\r",
]  # fmt: skip
values = st.one_of(st.sampled_from(EDGES), st.text(alphabet="0123456789.eE+-xXpPdDfFnaNAIiy \t", max_size=8))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.lists(values, min_size=3, max_size=3), min_size=1, max_size=12))
def test_batch_tests_are_the_per_cell_tests(rows):
    trace = IngestTrace(numeric=[True, True, False])
    columns = [pl.Series([r[i] for r in rows], dtype=pl.String) for i in range(3)]
    batch_trace(trace, columns, first_case=5)
    for i in range(2):
        expected = all(dataverse_numeric(r[i].encode("utf-8")) for r in rows if r[i])
        assert trace.numeric[i] == expected, [r[i] for r in rows]
    assert trace.numeric[2] is False  # a column no longer numeric stays so
    broken = [k for k, r in enumerate(rows) if any(c in v for v in r for c in "\t\n\r")]
    assert [case for case, _ in trace.broken_rows] == [5 + k for k in broken]
    assert [values for _, values in trace.broken_rows] == [rows[k] for k in broken]
