"""CSV that is safe to open in a spreadsheet: one guard for every CSV the portal writes."""

from typing import Any

# A cell a spreadsheet would run as a formula gets an apostrophe first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Echo:
    """A file-like object whose ``write`` returns the text: csv.writer rows as strings, for streaming."""

    def write(self, value: str) -> str:
        return value
