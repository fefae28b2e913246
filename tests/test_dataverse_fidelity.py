"""The Dataverse model's finer points, each on a small file built here: the database save, the
post-ingest re-read of the .tab file (6.7+), workbooks that are OLE2 containers, and quotes where
Commons CSV takes them literally (or not)."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from tabcheck.api import check

VERSIONS = ("6.8", "6.7", "6.6")
DB_SAVE = (
    "Ingest produced tabular data, but failed to save it in the database; "
    "Transaction aborted No further information is available."
)
DB_SAVE_PREFIX = "Ingest produced tabular data, but failed to save it in the database; "
POST_INGEST = "Ingest succeeded, but failed to save the ingested tabular data in the database: "
OUT_OF_BOUNDS = POST_INGEST + "Column index out of bounds"
OLE2 = (
    "Could not parse Excel/XLSX spreadsheet. The supplied data appears to be in the OLE2 Format. "
    "You are calling the part of POI that deals with OOXML (Office Open XML) Documents. You need to "
    "call a different part of POI to process this data (eg HSSF instead of XSSF)"
)


def more_rows(n: int) -> str:
    return POST_INGEST + f"Tab file has more nonempty rows than the stored number of cases ({n})!"


def predict(path: Path, version: str = "6.8"):
    (r,) = check([path], dataverse=version).files
    assert r.error is None
    return r.dataverse


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def workbook(tmp_path: Path, name: str, rows: list[list]) -> Path:
    path = tmp_path / name
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    wb.close()
    return path


def assert_ingested(p, observations: int, names: list[str], types: list[str]) -> None:
    assert (p.outcome.value, p.message, p.observations, p.variables) == (
        "ingested",
        None,
        observations,
        len(names),
    )
    assert [(c.name, c.type) for c in p.columns] == list(zip(names, types, strict=True))


def assert_fails(p, message: str) -> None:
    assert (p.outcome.value, p.message, p.variables, p.observations) == ("fails", message, None, None)


# -- the database save ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "name,data",
    [
        ("spaces.csv", "id,   ,score\n1,a,2\n"),
        ("tab.csv", "id,\t,score\n1,a,2\n"),  # a TAB is not the delimiter of a .csv
        ("control.csv", "id,\x01\x02,score\n1,a,2\n"),  # String.trim() removes every char <= U+0020
        ("quoted.csv", 'id," ",score\n1,a,2\n'),
        ("header-only.csv", "id, \n"),
    ],
)
def test_a_blank_name_fails_at_the_save(tmp_path, name, data, version):
    p = predict(write(tmp_path, name, data), version)
    assert_fails(p, DB_SAVE)
    assert p.message.startswith(DB_SAVE_PREFIX)
    assert (p.real_location.row, p.real_location.column) == (1, 2)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_control_character_tsv_name(tmp_path, version):
    """U+0001 is not whitespace to Java: TDF keeps it. 6.8's library then finds the name blank
    (`trim()`), older ones let Dataverse's non-empty check pass it on to the save."""
    p = predict(write(tmp_path, "control.tsv", "id\t\x01\tscore\n1\ta\t2\n"), version)
    if version == "6.8":
        assert_fails(p, "A header name is missing in [id, \x01, score]")
    else:
        assert_fails(p, DB_SAVE)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_no_break_space_is_not_blank(tmp_path, version):
    p = predict(write(tmp_path, "nbsp.csv", "id,\u00a0,score\n1,a,2\n"), version)
    assert_ingested(p, 1, ["id", "\u00a0", "score"], ["integer", "character", "integer"])


@pytest.mark.parametrize("version", VERSIONS)
def test_a_blank_tsv_name_is_missing_before_the_save(tmp_path, version):
    """TDF trims what Java calls whitespace (U+000B, U+001F, U+3000 …): the name is then empty."""
    p = predict(write(tmp_path, "vt.tsv", "id\t\x0b\u3000\tscore\n1\ta\t2\n"), version)
    if version == "6.8":
        assert_fails(p, "A header name is missing in [id, , score]")
    else:
        assert_fails(p, "Invalid header row. One of the cells is empty.")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("ext,sep", [("csv", ","), ("tsv", "\t")])
def test_a_name_over_255_characters_fails_at_the_save(tmp_path, version, ext, sep):
    ok = write(tmp_path, f"ok.{ext}", f"id{sep}{'é' * 255}\n1{sep}2\n")  # characters, not bytes
    assert_ingested(predict(ok, version), 1, ["id", "é" * 255], ["integer", "integer"])
    long = write(tmp_path, f"long.{ext}", f"id{sep}{'é' * 256}\n1{sep}2\n")
    p = predict(long, version)
    assert_fails(p, DB_SAVE)
    assert (p.real_location.row, p.real_location.column) == (1, 2)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_quoted_header_with_commas_is_one_long_name(tmp_path, version):
    """Dataverse's own IngestCSV.csv: its last header cell, quoted, holds commas and 330 characters."""
    name = "Column that hates you, contains many commas, " + "and is long " * 20
    path = write(tmp_path, "ingest.csv", f'ints,Strings,"{name}"\n1,a,b\n2,c,d\n')
    assert_fails(predict(path, version), DB_SAVE)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_semicolon_header_over_255_characters_fails_at_the_save(tmp_path, version):
    names = ";".join(f"variable_{i:03d}" for i in range(30))
    data = names + "\n" + ";".join(str(i) for i in range(30)) + "\n"
    assert_fails(predict(write(tmp_path, "semi.csv", data), version), DB_SAVE)


@pytest.mark.parametrize("version", VERSIONS)
def test_duplicate_blank_names_collapse_before_the_save(tmp_path, version):
    """Excel format allows missing names: two ' ' are one map entry, so records are too wide."""
    p = predict(write(tmp_path, "dup.csv", "id, , \n1,2,3\n"), version)
    assert_fails(p, "Reading mismatch, line 1 of the Data file: 2 delimited values expected, 3 found.")
    assert_fails(predict(write(tmp_path, "dup0.csv", "id, , \n"), version), DB_SAVE)


@pytest.mark.parametrize("version", VERSIONS)
def test_reader_failures_come_before_the_save(tmp_path, version):
    p = predict(write(tmp_path, "ragged.csv", "id, ,score\n1,2\n"), version)
    assert_fails(p, "Reading mismatch, line 1 of the Data file: 3 delimited values expected, 2 found.")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("header", [" ", "_", " _ ", "__"])
def test_an_xlsx_name_blank_once_renamed_fails_at_the_save(tmp_path, version, header):
    """Spaces and underscores are removed after an empty cell got its column letter: nothing is left."""
    path = workbook(tmp_path, "blank.xlsx", [["id", header, "score"], [1, "x", 2]])
    p = predict(path, version)
    assert_fails(p, DB_SAVE)
    assert (p.real_location.cell, p.real_location.sheet) == ("B1", "Sheet1")


@pytest.mark.parametrize("version", VERSIONS)
def test_an_xlsx_name_over_255_characters_once_renamed_fails_at_the_save(tmp_path, version):
    fits = workbook(tmp_path, "fits.xlsx", [["id", "ab_" * 127 + "a"], [1, "x"]])  # 255 once renamed
    assert_ingested(predict(fits, version), 1, ["id", "ab" * 127 + "a"], ["continuous", "character"])
    long = workbook(tmp_path, "long.xlsx", [["id", "ab" * 128], [1, "x"]])
    assert_fails(predict(long, version), DB_SAVE)


@pytest.mark.parametrize("version", VERSIONS)
def test_an_empty_xlsx_header_cell_is_named_by_its_letter(tmp_path, version):
    path = workbook(tmp_path, "letter.xlsx", [["id", None, "score"], [1, "x", 2]])
    assert_ingested(
        predict(path, version), 1, ["id", "B", "score"], ["continuous", "character", "continuous"]
    )


# -- workbooks that are OLE2 containers ----------------------------------------------------------

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize("version", VERSIONS)
def test_an_encrypted_workbook_fails_with_pois_message(tmp_path, version):
    data = OLE2_SIGNATURE + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(1024)
    assert_fails(predict(write(tmp_path, "secret.xlsx", data), version), OLE2)


@pytest.mark.parametrize("version", VERSIONS)
def test_an_xls_named_xlsx_fails_with_pois_message(tmp_path, version):
    data = OLE2_SIGNATURE + bytes(2048)
    assert_fails(predict(write(tmp_path, "old.xlsx", data), version), OLE2)


def test_an_xls_is_not_ingested_at_all(tmp_path):
    data = OLE2_SIGNATURE + bytes(2048)
    assert predict(write(tmp_path, "old.xls", data)).outcome.value == "not-ingested"


def test_the_workbook_facts_alone_tell_an_encrypted_package(tmp_path):
    from tabcheck.dataverse.xlsx import predict_xlsx
    from tabcheck.workbook import read_workbook

    data = OLE2_SIGNATURE + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(1024)
    assert predict_xlsx(read_workbook(write(tmp_path, "secret.xlsx", data))).message == OLE2


# -- quotes that Commons CSV takes literally, or not -------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_quote_inside_an_unquoted_header_cell_is_a_character(tmp_path, version):
    """Only a quote that starts a field opens a quoted value; elsewhere it is part of the name."""
    path = write(tmp_path, "midquote.csv", 'id,na"me,sc"o,re\n1,x,2,3\n4,y,5,6\n')
    p = predict(path, version)
    assert_ingested(p, 2, ["id", 'na"me', 'sc"o', "re"], ["integer", "character", "integer", "integer"])


@pytest.mark.parametrize("version", VERSIONS)
def test_a_quote_ending_an_unquoted_header_cell_is_a_character(tmp_path, version):
    path = write(tmp_path, "endquote.tsv", 'id\tname"\n1\tx\n')
    assert_ingested(predict(path, version), 1, ["id", 'name"'], ["integer", "character"])


@pytest.mark.parametrize("version", VERSIONS)
def test_semicolon_fields_with_stray_quotes_stay_one_record_per_line(tmp_path, version):
    """Read with ',', none of these quotes starts a field: every line is one observation."""
    data = 'id;name;score\n1;"a";3\n2;b"c;4\n3;x;"5\n4;"y;6\n5;z;7\n'
    p = predict(write(tmp_path, "stray.csv", data), version)
    assert_ingested(p, 5, ["id;name;score"], ["character"])


@pytest.mark.parametrize("version", VERSIONS)
def test_a_quote_starting_a_comma_field_swallows_line_breaks(tmp_path, version):
    """`"1;x` starts a field: the quoted section runs over two line breaks, to the next quote."""
    data = 'a;b\n"1;x\n2;y\n3;z"\n4;w\n'
    p = predict(write(tmp_path, "swallow.csv", data), version)
    assert_ingested(p, 2, ["a;b"], ["character"])


def test_a_quoted_section_then_text_is_one_value_in_68_and_an_error_before(tmp_path):
    data = 'a;b\n"1;x\n2;y"z\n3;w\n'
    path = write(tmp_path, "then-text.csv", data)
    assert_ingested(predict(path, "6.8"), 2, ["a;b"], ["character"])
    for version in ("6.7", "6.6"):
        assert_fails(predict(path, version), "(line 3) invalid char between encapsulated token and delimiter")


def test_an_unclosed_quote_in_a_semicolon_file(tmp_path):
    """6.8 reads the quoted section to the end of the file: one record for all the rest."""
    data = 'a;b\n1;x\n"2;y\n3;z\n4;w\n'
    path = write(tmp_path, "unclosed.csv", data)
    assert_ingested(predict(path, "6.8"), 2, ["a;b"], ["character"])
    assert_fails(predict(path, "6.7"), "(startline 3) EOF reached before encapsulated token finished")


def test_a_quoted_semicolon_header_in_68(tmp_path):
    """The header's quoted section ends mid-cell: 6.8 keeps the rest (`"id";"name"` is `id;"name"`)."""
    path = write(tmp_path, "quoted-header.csv", '"id";"name"\n1;x\n')
    assert_ingested(predict(path, "6.8"), 1, ['id;"name"'], ["character"])
    assert_fails(predict(path, "6.7"), "(line 1) invalid char between encapsulated token and delimiter")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_quoted_comma_in_a_semicolon_file_makes_two_fields(tmp_path, version):
    """A quote inside a comma-field is literal: the comma still splits the record."""
    path = write(tmp_path, "split.csv", 'a;b\n1;"2,3";4\n5;6\n')
    p = predict(path, version)
    assert_fails(p, "Reading mismatch, line 2 of the Data file: 1 delimited values expected, 2 found.")
    assert (p.real_location.row, p.real_location.line) == (2, 2)


# -- the post-ingest re-read of the .tab file (6.7+) --------------------------------------------


def reread(tmp_path: Path, name: str, data: str, version: str = "6.8"):
    return predict(write(tmp_path, name, data), version)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_crlf_in_a_text_cell_cuts_the_line_of_the_next_variable(tmp_path, version):
    """`1\\t"line one` then `\\nline two"`: the integer sweep reads column 0 of both lines, fine;
    the character sweep needs column 1, which the second line lacks."""
    p = reread(tmp_path, "crlf.csv", 'id,text\r\n1,"line one\r\nline two"\r\n2,plain\r\n', version)
    if version == "6.6":
        assert_ingested(p, 2, ["id", "text"], ["integer", "character"])
    else:
        assert_fails(p, OUT_OF_BOUNDS)
        assert (p.real_location.row, p.real_location.line, p.real_location.column) == (2, 2, 2)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_lone_cr_in_the_first_column(tmp_path, version):
    p = reread(tmp_path, "first.csv", 't,u\n"a\rb",x\n"c",y\n', version)
    if version == "6.6":
        assert_ingested(p, 2, ["t", "u"], ["character", "character"])
    else:
        assert_fails(p, OUT_OF_BOUNDS)


@pytest.mark.parametrize("version", VERSIONS)
def test_two_crs_push_a_nonempty_line_past_the_cases(tmp_path, version):
    """Lines: `1\\t"a`, `b`, `c"`, `2\\t"x"`, `3\\t"y"`. The integer sweep (column 0) finds a field in
    the first 3 lines, drops the 4th (read by the loop's condition) and meets `3\\t"y"` after."""
    p = reread(tmp_path, "more.csv", 'id,text\n1,"a\rb\rc"\n2,x\n3,y\n', version)
    if version == "6.6":
        assert_ingested(p, 3, ["id", "text"], ["integer", "character"])
    else:
        assert_fails(p, more_rows(3))


@pytest.mark.parametrize("version", ("6.8", "6.7"))
def test_the_integer_sweep_comes_first(tmp_path, version):
    """Column 0 (character) would read every line and then meet the extra ones; but the integer
    variable, column 1, is read first and `q` has no column 1."""
    p = reread(tmp_path, "sweep.csv", 't,n,u\n"a",1,"p\rq\rr"\n"b",2,"s"\n"c",3,"t"\n', version)
    assert_fails(p, OUT_OF_BOUNDS)
    assert p.real_location.column == 3


@pytest.mark.parametrize("version", ("6.8", "6.7"))
def test_the_continuous_sweep_comes_before_the_character_one(tmp_path, version):
    """Column 1 (continuous, `5\\r` trims to a number) cuts its line: read before column 0 (text)."""
    data = 't,x,u\n"a","\r5","p"\n"b","6","q"\n"c","7","r"\n'
    p = reread(tmp_path, "cont.csv", data, version)
    # Lines: `"a"\t`, `5\t"p"`, `"b"\t6\t"q"`, `"c"\t7\t"r"`: the continuous sweep (column 1)
    # finds a field everywhere, then the character sweep (column 0, then column 2) fails.
    assert_fails(p, OUT_OF_BOUNDS)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_cr_in_the_last_observation_is_harmless(tmp_path, version):
    """Its second piece is line N+1, which the loop reads and drops."""
    p = reread(tmp_path, "last.csv", 'id,text\n1,x\n2,"a\rb"\n', version)
    assert_ingested(p, 2, ["id", "text"], ["integer", "character"])


@pytest.mark.parametrize("version", VERSIONS)
def test_a_cr_ending_an_unquoted_last_value_meets_the_line_feed(tmp_path, version):
    """`5\\r` is a number (Java trims it): written as it is, its CR and the LF make one line end."""
    p = reread(tmp_path, "merge.csv", 'id,x\n1,"5\r"\n2,6\n', version)
    assert_ingested(p, 2, ["id", "x"], ["integer", "continuous"])


@pytest.mark.parametrize("version", VERSIONS)
def test_a_cr_ending_a_quoted_last_value_cuts(tmp_path, version):
    p = reread(tmp_path, "nomerge.csv", 'id,t\n1,"a\r"\n2,b\n', version)
    if version == "6.6":
        assert_ingested(p, 2, ["id", "t"], ["integer", "character"])
    else:
        assert_fails(p, OUT_OF_BOUNDS)


@pytest.mark.parametrize("version", ("6.8", "6.7"))
def test_a_date_keeps_its_cr(tmp_path, version):
    """`2020-01-01\\rx` is a date (prefix match), written unquoted: `2020-01-01` then `x\\t"a"`."""
    p = reread(tmp_path, "date.csv", 'd,t\n"2020-01-01\rx",a\n"2020-01-02",b\n', version)
    assert_fails(p, OUT_OF_BOUNDS)


@pytest.mark.parametrize("version", ("6.8", "6.7"))
def test_blank_lines_after_the_cases_are_tolerated(tmp_path, version):
    """`6`, `5`, then two empty lines: the second is past the cases but blank."""
    p = reread(tmp_path, "blank-after.csv", 'x\n6\n"5\r\r\r"\n', version)
    assert_ingested(p, 2, ["x"], ["continuous"])
    p = reread(tmp_path, "blank-between.csv", 'x\n"5\r\r\r"\n6\n', version)
    assert_fails(p, more_rows(2))


@pytest.mark.parametrize("version", ("6.8", "6.7"))
def test_a_blank_piece_inside_a_quoted_value(tmp_path, version):
    """`"a`, ` ` (dropped), `"`: the quote left alone is not blank."""
    assert_fails(reread(tmp_path, "quote.csv", 't\n"a\r \r"\n', version), more_rows(1))


@pytest.mark.parametrize("version", ("6.8", "6.7"))
@pytest.mark.parametrize("ext,sep", [("csv", ","), ("tsv", "\t")])
def test_many_cut_records(tmp_path, version, ext, sep):
    """100 observations, each cut once in its last value: the integer sweep sees a field in every
    one of the first 100 lines, then 99 lines after the dropped one."""
    data = f"id{sep}text\n" + "".join(f'{i}{sep}"a\rb"\n' for i in range(100))
    assert_fails(reread(tmp_path, f"many.{ext}", data, version), more_rows(100))
    text_first = f"text{sep}id\n" + "".join(f'"a\rb"{sep}{i}\n' for i in range(100))
    assert_fails(reread(tmp_path, f"many-first.{ext}", text_first, version), OUT_OF_BOUNDS)


@pytest.mark.parametrize("version", ("6.8", "6.7"))
def test_an_unclosed_quote_swallowing_crlf_lines(tmp_path, version):
    """6.8 reads the rest of a CRLF file into one value: its CRs cut the .tab line."""
    p = reread(tmp_path, "unclosed.csv", 'a,b\r\n1,"oops\r\n2,x\r\n', version)
    if version == "6.8":
        assert_fails(p, more_rows(1))
    else:
        assert_fails(p, "(startline 2) EOF reached before encapsulated token finished")


def test_the_scan_keeps_where_the_crs_fall(tmp_path):
    from tabcheck.facts.common import CellPlace
    from tabcheck.scan.csv import scan_csv
    from tabcheck.sniff import sniff_bytes

    data = 'a,b,c\n1,"x\ry",2\n3,"z","w\r\rv"\n4,5,"6\r"\n'
    path = write(tmp_path, "facts.csv", data)
    facts = scan_csv(path, "csv", sniff_bytes(data.encode()), {}, len(data))
    cuts = facts.dataverse.cr_cuts
    assert (cuts.count, cuts.records, cuts.ends_with_cr) == (4, 3, 1)
    assert cuts.by_column == {1: 1, 2: 3}
    assert cuts.first == CellPlace(2, 2, 2)
    # Row 2: `1\t"x` (2 fields, line 1), `y"\t2` (2 fields, line 2). Row 3 starts at line 3:
    # `3\t"z"\t"w` (3), `` (1), `v"` (1). Row 4 at line 6: `4\t5\t"6` (3), then the CR ending it.
    assert cuts.first_piece == {2: (1, 0), 3: (3, 0), 1: (4, 0)}
    assert cuts.first_end_piece == (7, 0)


# A literal replay of TabularSubsetGenerator's loop on the .tab file CSVFileReader writes: the
# prediction must agree with it on random small tables.


def _tab_value(value: str, typ: str) -> str:
    if typ in ("integer", "continuous"):
        low = value.lower()
        special = {"": "", "na": "", "nan": "NaN", "inf": "Inf", "+inf": "Inf", "-inf": "-Inf"}
        if low in special:
            return special[low]
        if low == "null":
            return "0" if typ == "integer" else "0.0"
        return value
    if typ in ("date", "time"):
        return value.strip('"')
    return '"' + value.replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def _read_lines(text: str) -> list[str]:
    """BufferedReader.readLine, line after line."""
    lines, start, i = [], 0, 0
    while i < len(text):
        if text[i] in "\r\n":
            lines.append(text[start:i])
            i += 2 if text[i] == "\r" and text[i + 1 : i + 2] == "\n" else 1
            start = i
        else:
            i += 1
    if start < len(text):
        lines.append(text[start:])
    return lines


def _java_reread(rows: list[list[str]], types: list[str]) -> str | None:
    text = "".join("\t".join(_tab_value(v, t) for v, t in zip(r, types, strict=True)) + "\n" for r in rows)
    lines = _read_lines(text)
    n = len(rows)
    order = [i for i, t in enumerate(types) if t == "integer"]
    order += [i for i, t in enumerate(types) if t == "continuous"]
    order += [i for i, t in enumerate(types) if t not in ("integer", "continuous")]
    for column in order:
        it = iter(lines)
        case = 0
        while (line := next(it, None)) is not None and case < n:  # the condition reads a line first
            if len(line.split("\t")) <= column:
                return OUT_OF_BOUNDS
            case += 1
        for line in it:
            if line.strip("".join(map(chr, range(33)))):
                return more_rows(n)
    return None


def test_the_prediction_replays_the_java_loop(tmp_path):
    import random

    rng = random.Random(7)
    pool = {
        "num": ["1", "2", "", "5\r", "\r5", "7\r\n", "2.5", "NA", "null"],
        "date": ["2020-01-01", "", "2020-01-01\r", "2020-01-01\rx"],
        "text": ["a", "\r", "a\rb", "", " \r ", "\r\r", "x y", "a\nb", "a\r\nb"],
    }
    cases = {}
    for k in range(150):
        kinds = [rng.choice(list(pool)) for _ in range(rng.randint(1, 4))]
        rows = [[rng.choice(pool[kind]) for kind in kinds] for _ in range(rng.randint(1, 16))]
        sep = rng.choice([",", "\t"])
        body = sep.join(f"c{i}" for i in range(len(kinds))) + "\n"
        body += "".join(sep.join(f'"{v}"' for v in row) + "\n" for row in rows)
        path = write(tmp_path, f"t{k}.{'csv' if sep == ',' else 'tsv'}", body)
        cases[path.name] = rows
    before = {Path(r.path).name: r.dataverse for r in check([tmp_path], dataverse="6.6").files}
    outcomes = set()
    for version in ("6.8", "6.7"):
        for r in check([tmp_path], dataverse=version).files:
            name = Path(r.path).name
            old = before[name]
            assert old.outcome.value == "ingested"
            expected = _java_reread(cases[name], [c.type for c in old.columns])
            outcomes.add(expected.split(": ")[1][:10] if expected else None)
            if expected is None:
                assert (r.dataverse.outcome.value, r.dataverse.observations) == ("ingested", len(cases[name]))
            else:
                assert (r.dataverse.outcome.value, r.dataverse.message) == ("fails", expected), name
    assert outcomes == {None, "Column ind", "Tab file h"}  # all three seen


# -- quotes and blanks around the header, as each library version reads them --------------------


def test_blanks_after_a_closing_quote_in_the_header(tmp_path):
    """6.8's Excel format keeps what follows a closing quote; 6.7's strict lexer skips blanks."""
    path = write(tmp_path, "blanks.csv", '"id" ,"name"  \n1,x\n')
    assert_ingested(predict(path, "6.8"), 1, ["id ", "name  "], ["integer", "character"])
    for version in ("6.7", "6.6"):
        assert_ingested(predict(path, version), 1, ["id", "name"], ["integer", "character"])
    empty = write(tmp_path, "empty.csv", '"" ,x\n1,2\n')
    assert_fails(predict(empty, "6.8"), DB_SAVE)  # the name is one space
    assert_fails(predict(empty, "6.7"), "Invalid header row. One of the cells is empty.")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_quoted_empty_line_is_a_record(tmp_path, version):
    """`""` is a value (an empty string), not an empty line that TDF would skip."""
    p = predict(write(tmp_path, "quoted-empty.tsv", 'a\n""\n\nx\n'), version)
    assert_ingested(p, 2, ["a"], ["character"])
    p = predict(write(tmp_path, "quoted-empty-header.tsv", '""\n""x\n'), version)
    if version == "6.8":
        assert_fails(p, "A header name is missing in []")
    else:
        assert_fails(p, "Invalid header row. One of the cells is empty.")


def test_duplicate_names_in_68_then_a_ragged_record(tmp_path):
    """6.8 keeps one `a`: the one-field record fits, the two-field one is the first mismatch."""
    p = predict(write(tmp_path, "dup-ragged.csv", "a,a\n1\n1,2\n"), "6.8")
    assert_fails(p, "Reading mismatch, line 2 of the Data file: 1 delimited values expected, 2 found.")
    assert (p.real_location.row, p.real_location.line) == (3, 3)
    p = predict(write(tmp_path, "dup-semicolon.csv", "x;y,x;y\n1\n2;3,4\n5\n"), "6.8")
    assert_fails(p, "Reading mismatch, line 3 of the Data file: 1 delimited values expected, 2 found.")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_quote_opening_in_one_view_only(tmp_path, version):
    """Split at ';' the header's second field opens a quote that runs over line 2; split at ','
    (Dataverse) the header is one line and line 2's quote runs to the end of the file."""
    p = predict(write(tmp_path, "views.csv", ';" \n"\n2.5a\na\n'), version)
    if version == "6.8":
        assert_ingested(p, 1, [';" '], ["character"])
    else:
        assert_fails(p, "(startline 2) EOF reached before encapsulated token finished")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_crlf_inside_quotes_of_a_cr_file_stays_whole(tmp_path, version):
    """Lines are cut at CR in a CR file: the LF after a CR inside quotes is still the name's."""
    p = predict(write(tmp_path, "cr.csv", '"a\r\nb",c\r1,2\r3,4\r'), version)
    assert_ingested(p, 2, ["a\r\nb", "c"], ["integer", "integer"])


# An independent replay of Commons CSV's lexer and parser (1.14's Excel format, lenient; 1.2's,
# strict; TDF, strict, trimming Java whitespace, skipping empty lines), record after record.

JAVA_WHITESPACE = set(
    " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2008\u2009\u200a\u2028\u2029\u205f\u3000"
)


class LexerError(Exception):
    pass


def commons_records(text: str, delimiter: str, lenient: bool, tdf: bool):
    pos = 0
    last: str | None = "start"  # the last character read (None at the end)
    last_token_delimiter = False

    def read() -> str | None:
        nonlocal pos, last
        last = text[pos] if pos < len(text) else None
        pos += last is not None
        return last

    def end_of_line(c: str | None) -> bool:
        if c == "\r" and text[pos : pos + 1] == "\n":
            read()
        return c in ("\n", "\r")

    def token() -> tuple[str, str, bool]:
        previous = last
        c = read()
        eol = end_of_line(c)
        if tdf:
            while eol and previous in ("\n", "\r", "start"):
                previous = c
                c = read()
                eol = end_of_line(c)
                if c is None:
                    return "EOF", "", False
        if previous is None or (not last_token_delimiter and c is None):
            return "EOF", "", False
        if tdf:
            while c is not None and c in JAVA_WHITESPACE and c != delimiter and not eol:
                c = read()
                eol = end_of_line(c)
        if c == delimiter:
            return "TOKEN", "", False
        if eol:
            return "EORECORD", "", False
        if c is None:
            return "EOF", "", True
        buf = []
        if c == '"':
            while True:
                c = read()
                if c == '"' and text[pos : pos + 1] == '"':
                    buf.append(read())
                elif c == '"':
                    while True:
                        c = read()
                        if c == delimiter:
                            return "TOKEN", "".join(buf), False
                        if c is None:
                            return "EOF", "".join(buf), True
                        if end_of_line(c):
                            return "EORECORD", "".join(buf), False
                        if lenient:
                            buf.append(c)
                        elif c not in JAVA_WHITESPACE:
                            raise LexerError("invalid char")
                elif c is None:
                    if lenient:
                        return "EOF", "".join(buf), True
                    raise LexerError("EOF")
                else:
                    buf.append(c)
        while not end_of_line(c) and c is not None and c != delimiter:
            buf.append(c)
            c = read()
        kind = "EOF" if c is None else "TOKEN" if c == delimiter else "EORECORD"
        value = "".join(buf)
        return kind, value.rstrip("".join(JAVA_WHITESPACE)) if tdf else value, kind == "EOF"

    while True:
        record = []
        while True:
            kind, value, ready = token()
            last_token_delimiter = kind == "TOKEN"
            if kind != "EOF" or ready:
                record.append(value)
            if kind != "TOKEN":
                break
        if not record:
            return
        yield record


def _java_blank(s: str) -> bool:
    return not s.strip("".join(map(chr, range(33))))


def expected_outcome(text: str, tsv: bool, version: str) -> tuple[str, object]:
    """What the readers make of a file: ('lexer', None), ('message', text), ('mismatch', found),
    ('ingested', (observations, names))."""
    new = version == "6.8"
    records = commons_records(text, "\t" if tsv else ",", lenient=new and not tsv, tdf=tsv)
    try:
        header = next(records, None)
    except LexerError:
        return "lexer", None
    if header is None:
        return "ingested", (0, [])
    if new and tsv and any(_java_blank(c) for c in header):
        return "message", "A header name is missing in [" + ", ".join(header) + "]"
    if not new:
        seen: set[str] = set()
        for c in header:
            if c in seen and (tsv or not _java_blank(c)):
                return "message", f'The header contains a duplicate name: "{c}" in [{", ".join(header)}]'
            seen.add(c)
    names = list(dict.fromkeys(header))
    if "" in names:
        return "message", "Invalid header row. One of the cells is empty."
    try:
        data = list(records)
    except LexerError:
        return "lexer", None
    bad = next((r for r in data if len(r) != len(names)), None)
    if bad is not None:
        return "mismatch", len(bad)
    return "ingested", (len(data), names)


@pytest.mark.parametrize("tsv", [False, True], ids=["csv", "tsv"])
def test_records_follow_commons_csv(tmp_path, tsv):
    """Random small files full of stray quotes, semicolons, blanks and line breaks of every kind."""
    import random

    rng = random.Random(11 if tsv else 5)
    atoms = ["a", "1", "2.5", ";", '"', '"', '""', " ", "x y", "\x0b", "\t" if tsv else ","]
    texts = {}
    for k in range(250):
        newline = rng.choice(["\n", "\r\n", "\r"])
        lines = [
            "".join(
                rng.choice(atoms) if rng.random() < 0.95 else rng.choice(["\n", "\r", "\r\n"])
                for _ in range(6)
            )
            for _ in range(rng.randint(1, 7))
        ]
        text = newline.join(lines) + (newline if rng.random() < 0.8 else "")
        name = f"r{k}.{'tsv' if tsv else 'csv'}"
        write(tmp_path, name, text)
        texts[name] = text
    for version in ("6.8", "6.7"):
        for r in check([tmp_path], dataverse=version).files:
            text = texts[Path(r.path).name]
            p = r.dataverse
            kind, what = expected_outcome(text, tsv, version)
            context = (version, text)
            if kind == "lexer":
                assert p.outcome.value == "fails" and "encapsulated token" in p.message, context
            elif kind == "message":
                assert (p.outcome.value, p.message) == ("fails", what), context
            elif kind == "mismatch":
                assert p.outcome.value == "fails" and p.message.endswith(f", {what} found."), context
            elif p.outcome.value == "fails":  # read fine, then the re-read or the save
                assert p.message.startswith((POST_INGEST, DB_SAVE_PREFIX)), context
            else:
                assert (p.observations, [c.name for c in p.columns]) == what, context
