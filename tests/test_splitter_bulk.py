"""The exact splitter takes long quoted text without quotes whole (an unclosed quote may run for GBs):
records, line numbers, quoted line breaks and problems must be those of the line-by-line lexer,
however the text is cut into pieces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tabcheck.scan import records
from tabcheck.scan.records import RecordSplitter

TEXT = st.text(alphabet=["a", "é", '"', "\r", "\n", ",", " ", "\t"], max_size=300)


def _split(text: str, cuts: list[int], bulk: int, monkeypatch) -> tuple:
    monkeypatch.setattr(records, "_BULK", bulk)
    sp = RecordSplitter(",", skip_empty_lines=False, trim=False)
    out, pos = [], 0
    for cut in sorted({c % (len(text) + 1) for c in cuts} | {len(text)}):
        out += sp.feed(text[pos:cut])
        pos = cut
    out += sp.finish()
    st_ = sp.state
    return (
        [(r.fields, r.line, r.end_line, r.quoted_lf, r.quoted_cr, r.blank, r.unclosed) for r in out],
        [(p.kind, p.line, p.record_line, p.column, p.position, p.row) for p in sp.problems],
        sp.problem_counts,
        st_.line,
        st_.char_offset,
    )


@settings(max_examples=400, deadline=None)
@given(text=TEXT, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6))
def test_bulk_quoted_text_reads_as_line_by_line(text, cuts):
    from _pytest.monkeypatch import MonkeyPatch

    with MonkeyPatch.context() as m:
        line_by_line = _split(text, cuts, 10**9, m)
    with MonkeyPatch.context() as m:
        bulk = _split(text, cuts, 0, m)
    assert bulk == line_by_line


def test_an_unclosed_quote_swallows_every_line_after_it():
    """A concrete case: the quote opened on line 2 runs to the end, its 4 line breaks counted."""
    text = 'a,b\n1,"x\n2,y\r\n3,z\r4,w\n'
    sp = RecordSplitter(",", skip_empty_lines=False, trim=False)
    recs = sp.feed(text) + sp.finish()
    assert [r.fields for r in recs] == [["a", "b"], ["1", "x\n2,y\r\n3,z\r4,w\n"]]
    assert (recs[1].quoted_lf, recs[1].quoted_cr, recs[1].unclosed) == (2, 2, True)
    assert sp.state.line == 6  # after the last line break
