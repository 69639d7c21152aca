"""CSV that opens right in a spreadsheet: the one CSV writer of the portal (API lists and documents,
survey exports).

Every CSV starts with a UTF-8 byte-order mark, so Excel reads the file as UTF-8 and shows Chinese and
Spanish names as written; and a cell a spreadsheet would run as a formula gets an apostrophe first.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

BYTE_ORDER_MARK = "\ufeff"
# A cell a spreadsheet would run as a formula gets an apostrophe first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose ``write`` returns the text: csv.writer rows as strings, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Rows (the header first) as CSV text lines, the byte-order mark first: for a streaming response,
    so that a long export never sits in memory."""
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """The same, as one string (small documents)."""
    buffer = io.StringIO()
    buffer.writelines(csv_lines(rows))
    return buffer.getvalue()
