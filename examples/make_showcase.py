"""Write examples/showcase/: a dozen small tables, one per problem a depositor typically has.

The README's first command checks this folder: one screen that shows what tabcheck says about a
clean file, a French Excel export, a ragged row, a title above the table, interview answers with
line breaks, duplicate names, postcodes, French dates, `null` in numbers, a workbook with two sheets,
an old .xls and a table too wide for Dataverse. Deterministic (the workbook's zip entries carry a
fixed date); the files are committed, so the README needs nothing but tabcheck. Run from anywhere.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "showcase"
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def _csv(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    return "".join(delimiter.join(r) + newline for r in rows)


def _workbook(sheets: dict[str, list[list[str]]], merged: str | None = None) -> bytes:
    """A minimal .xlsx as Excel writes one (shared strings, numbers, row spans; no styles needed)."""
    strings: list[str] = []

    def cell(ref: str, value: str) -> str:
        try:
            float(value)
            return f'<c r="{ref}"><v>{value}</v></c>'
        except ValueError:
            if value not in strings:
                strings.append(value)
            return f'<c r="{ref}" t="s"><v>{strings.index(value)}</v></c>'

    def sheet_xml(rows: list[list[str]], merge: str | None) -> str:
        width = max(len(r) for r in rows)
        body = "".join(
            f'<row r="{i}" spans="1:{width}">'
            + "".join(cell(f"{chr(65 + j)}{i}", v) for j, v in enumerate(row) if v != "")
            + "</row>"
            for i, row in enumerate(rows, start=1)
        )
        merges = f'<mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>' if merge else ""
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{body}</sheetData>{merges}</worksheet>"
        )

    names = list(sheets)
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(names) + 1)
        )
        + '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        + "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}"><sheets>'
        + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, start=1))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{ns}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + f'<Relationship Id="rId{len(names) + 1}" Type="{ns}/sharedStrings" Target="sharedStrings.xml"/>'
        + "</Relationships>",
    }
    for i, name in enumerate(names, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(sheets[name], merged if i == 1 else None)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{v}</t></si>" for v in strings)
        + "</sst>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(zipfile.ZipInfo(name, ZIP_TIME), text)
    return buffer.getvalue()


def showcase() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    files["01-clean_measurements.csv"] = _csv(
        [["site", "date", "temperature_c"], ["Brest", "2024-03-04", "11.2"], ["Quimper", "2024-03-11", "9.8"]]
    ).encode()
    files["02-export-excel-francais.csv"] = _csv(
        [["site", "température", "débit"], ["Brest", "11,2", "1210,5"], ["Besançon", "9,8", "987,25"]],
        ";",
        "\r\n",
    ).encode("cp1252")
    files["03-survey_answers.csv"] = _csv(
        [["id", "answer", "score"], ["1", "yes", "4"], ["2", "no, not really", "2"], ["3", "maybe", "3"]]
    ).encode()
    files["04-releves-avec-titre.csv"] = _csv(
        [["Relevés de la station de Brest (mars 2024)"], ["jour", "pluie_mm"], ["1", "3.5"], ["2", "0"]]
    ).encode()
    files["05-entretiens.csv"] = (
        'id,verbatim\r\n1,"Nous avons commencé en 2019.\r\nPuis tout a changé."\r\n2,"Rien à ajouter."\r\n'
    ).encode()
    files["06-duplicate_names.csv"] = _csv([["name", "value", "value", ""], ["a", "1", "2", "x"]]).encode()
    files["07-codes-postaux.csv"] = _csv(
        [["commune", "code_postal"], ["Ajaccio", "20000"], ["Bourg", "01000"]]
    ).encode()
    files["08-dates-francaises.csv"] = _csv(
        [["prélèvement", "date"], ["P1", "04/03/2024"], ["P2", "25/03/2024"]]
    ).encode()
    files["09-missing_values.csv"] = _csv(
        [["plot", "yield_t_ha"], ["A", "7.2"], ["B", "null"], ["C", "6.9"]]
    ).encode()
    files["10-classeur-deux-feuilles.xlsx"] = _workbook(
        {
            "Données": [["Campagne 2024", ""], ["parcelle", "rendement"], ["A", "7.2"], ["B", "6.9"]],
            "Notes": [["Source : INRAE"]],
        },
        merged="A1:B1",
    )
    files["11-wide_table.csv"] = _csv(
        [[f"v{i}" for i in range(1100)], [str(i % 7) for i in range(1100)]]
    ).encode()
    files["12-vieux-format.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # an OLE2 header
    return files


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    for name, data in showcase().items():
        (OUT / name).write_bytes(data)
    print(f"{len(showcase())} files in {OUT}")


if __name__ == "__main__":
    main()
