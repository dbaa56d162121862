"""Reading a State's indicator data: tidy CSV files, each cell with its line and column.

`data/<CC>/<code>.csv` (`data/MA/10-7-1.csv`), as Open SDG keeps them. Files
arrive by pull request, like review files: a link is not followed, a huge file
is not read, an encoding other than UTF-8 (a byte-order mark is fine) is
named where it breaks, and a CSV whose quotes do not close says where. The
reader keeps every cell's position so that each check (gcmreview.validate.data)
can name `file:line:col`. What the cells mean is not decided here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from gcmreview.core.diagnostics import Diagnostic, DiagnosticSink, Position
from gcmreview.core.i18n import _, ngettext
from gcmreview.core.indicators import LOOKALIKE, STEM
from gcmreview.load.loader import utf8_text

MAX_DATA_BYTES = 1024 * 1024
"""One indicator's values for one State: ten years by a few breakdowns are a few
kilobytes; a megabyte is already a hundred thousand values."""
MAX_ROWS = 50_000


class Cell(NamedTuple):
    text: str
    line: int
    column: int

    @property
    def position(self) -> Position:
        return Position(self.line, self.column)


@dataclass
class DataTable:
    """A data file as read: its header and rows of positioned cells, or why it is not read."""

    path: Path
    shown_as: str
    country: str
    """The name of the State's folder (`MA`), checked later."""
    stem: str
    """The file's name without `.csv` (`10-7-1`)."""
    header: list[Cell] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    readable: bool = True


def data_files_in(folder: Path) -> list[Path]:
    """`folder/<CC>/*.csv`, folders and files in name order; links included so that they
    get reported (never followed)."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    found: list[Path] = []
    for state in sorted(folder.iterdir()):
        if state.is_dir() and not state.is_symlink():
            found += sorted(p for p in state.iterdir() if p.suffix == ".csv"
                            and STEM.fullmatch(p.stem) and (p.is_file() or p.is_symlink()))
        elif state.is_symlink() and state.is_dir():
            found.append(state)  # reported as a link, not read
    return found


def unread_data_files_in(folder: Path) -> list[tuple[Path, str]]:
    """Files of the data folder meant as data files that are not read, each with the name
    it should have: `10.7.1.csv`, `10-7-1.CSV` or `10-7-1.csv.txt` -> `10-7-1.csv`; a file
    beside the States' folders goes into its State's folder (`data/MA/10-7-1.csv`)."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    found: list[tuple[Path, str]] = []
    for entry in sorted(folder.iterdir()):
        if entry.is_file() and ".csv" in entry.name.lower():
            found.append((entry, f"{folder.name}/XX/{entry.name}"))
        elif entry.is_dir() and not entry.is_symlink():
            for path in sorted(entry.iterdir()):
                if path.is_file() and LOOKALIKE.fullmatch(path.name) and not (
                        path.suffix == ".csv" and STEM.fullmatch(path.stem)):
                    stem = re.split(r"\.csv", path.name, flags=re.IGNORECASE)[0]
                    found.append((path, re.sub(r"[._ ]", "-", stem) + ".csv"))
    return found


def read_data(path: Path, shown_as: str) -> DataTable:
    """Read one data file. I/O failures raise `OSError`."""
    table = DataTable(path, shown_as, path.parent.name, path.name[:-4]
                      if path.name.endswith(".csv") else path.name)
    sink = DiagnosticSink(shown_as)
    if path.is_symlink() or not path.is_file():
        sink.error(Position(), "not-a-regular-file",
                   _("the file is a symbolic link or not a regular file; it is not read"),
                   _("commit the file itself, not a link to it"))
    elif path.stat().st_size > MAX_DATA_BYTES:
        sink.error(Position(), "file-too-large",
                   _("the file is {size} bytes; a data file may be at most {limit} bytes")
                   .format(size=path.stat().st_size, limit=MAX_DATA_BYTES),
                   _("keep one indicator of one State per file"))
    else:
        parse_into(table, path.read_bytes(), sink)
    table.diagnostics = sink.items
    table.readable = not sink.items and bool(table.header)
    return table


def decode(raw: bytes, sink: DiagnosticSink) -> str | None:
    """UTF-8, with or without a byte-order mark; anything else is a positioned error."""
    hint = _("in the spreadsheet program, save it as “CSV UTF-8 (comma delimited)”")
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        sink.error(Position(), "encoding",
                   _("this is a spreadsheet workbook (.xlsx or .xls), not a CSV file"),
                   hint)
        return None
    return utf8_text(raw, sink, Position(),
                     _("the file is saved as UTF-16; data files must be UTF-8"), hint)


def parse_into(table: DataTable, raw: bytes, sink: DiagnosticSink) -> None:
    """The header and rows of a CSV text (RFC 4180: commas, double quotes, "" inside
    quotes), each cell positioned; blank lines skipped."""
    text = decode(raw, sink)
    if text is None:
        return
    records = _records(text, sink)
    if records is None:
        return
    if not records:
        sink.error(Position(), "data-column",
                   _("the file is empty: a data file starts with a header line, such as "
                     "Year,Value"), _("write the header, then a line per year"))
        return
    header, *rows = records
    if len(header) == 1 and any(sep in header[0].text for sep in (";", "\t")):
        sep = _("semicolons") if ";" in header[0].text else _("tabs")
        sink.error(header[0].position, "data-syntax",
                   _("the columns are separated by {separator}; data files separate them "
                     "with commas").format(separator=sep),
                   _("in the spreadsheet program, save it as “CSV UTF-8 (comma delimited)”"))
        return
    if len(rows) > MAX_ROWS:
        sink.error(rows[MAX_ROWS][0].position, "file-too-large",
                   _("the file has {count} rows; a data file may have at most {limit}").format(
                       count=len(rows), limit=MAX_ROWS),
                   _("keep one indicator of one State per file"))
        return
    table.header = header
    for row in rows:
        if len(row) != len(header):
            last = row[-1]
            sink.error(row[len(header)].position if len(row) > len(header)
                       else Position(last.line, last.column + len(last.text)), "data-syntax",
                       ngettext("this line has {cells} value for {columns} columns",
                                "this line has {cells} values for {columns} columns",
                                len(row)).format(cells=len(row), columns=len(header)),
                       _("put a value holding a comma in double quotes (\"1,5\"), and give "
                         "every line a value per column, empty if need be (2021,,12)"))
            continue
        table.rows.append(row)


_LINE_END = re.compile(r"\r\n|\r|\n")
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _records(text: str, sink: DiagnosticSink) -> list[list[Cell]] | None:
    """Split a CSV text into records of positioned cells; None (and an error) when a quote
    is not closed, or text follows a closing quote."""
    if '"' not in text and _CONTROL_CHARACTER.search(text) is None:
        return _plain_records(text)
    return _quoted_records(text, sink)


def _plain_records(text: str) -> list[list[Cell]]:
    """`_records` of a text without quotes or control characters, as most data files are:
    split at line ends and commas (a tenth of the time of reading it character by
    character)."""
    records: list[list[Cell]] = []
    for number, line in enumerate(_LINE_END.split(text), 1):
        if not line:
            continue  # a blank line
        record, column = [], 1
        for value in line.split(","):
            record.append(Cell(value, number, column))
            column += len(value) + 1
        records.append(record)
    return records


_QUOTED = re.compile(r'"((?:[^"]|"")*+)"')
"""A quoted value: anything, a quote written twice; possessive, so that a quote pair is
never taken back as a closing quote (the value is then not closed)."""
_UNQUOTED = re.compile(r"[^,\r\n]*")


def _quoted_records(text: str, sink: DiagnosticSink) -> list[list[Cell]] | None:
    """`_records` of any text, a value at a time (a quoted one may hold commas, quotes
    written twice and line ends, read as one \\n)."""
    records: list[list[Cell]] = []
    record: list[Cell] = []
    i, n = 0, len(text)
    line, column = 1, 1
    while i <= n:
        start_line, start_col = line, column
        if i < n and text[i] == '"':
            quoted = _QUOTED.match(text, i)
            if quoted is None:
                sink.error(Position(start_line, start_col), "data-syntax",
                           _("the quote that opens this value is never closed"),
                           _("close it with a second double quote; a quote inside a "
                             "value is written twice (\"\")"))
                return None
            raw = quoted.group(1)
            ends = list(_LINE_END.finditer(raw))
            if ends:
                line += len(ends)
                column = 1 + quoted.end() - (i + 1 + ends[-1].end())
            else:
                column += quoted.end() - i
            i = quoted.end()
            if i < n and text[i] not in ",\r\n":
                sink.error(Position(line, column), "data-syntax",
                           _("text follows the closing quote of a value"),
                           _("put the whole value inside the quotes"))
                return None
            field_text = _LINE_END.sub("\n", raw.replace('""', '"')) if ends \
                else raw.replace('""', '"')
        else:
            j = _UNQUOTED.match(text, i).end()  # type: ignore[union-attr]
            field_text = text[i:j]
            column += j - i
            i = j
        bad = _CONTROL_CHARACTER.search(field_text)
        if bad is not None:
            sink.error(Position(start_line, start_col), "control-character",
                       _("this value holds a control character (U+{code:04X}), which no report "
                         "can show").format(code=ord(bad.group())), _("remove it"))
            return None
        record.append(Cell(field_text, start_line, start_col))
        if i >= n:
            break
        ch = text[i]
        if ch == ",":
            i += 1
            column += 1
            if i >= n:  # a trailing comma: one more, empty, field
                record.append(Cell("", line, column))
                break
            continue
        # end of a line
        i += 2 if ch == "\r" and i + 1 < n and text[i + 1] == "\n" else 1
        if any(c.text for c in record) or len(record) > 1:
            records.append(record)
        record = []
        line, column = line + 1, 1
        if i >= n:
            break
    if record and (any(c.text for c in record) or len(record) > 1):
        records.append(record)
    return records
