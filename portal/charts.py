"""Horizontal bar charts drawn on the server as SVG: the geometry, no Django.

A chart is as wide as its column (lengths in percent) and as tall as its bars need (in pixels), so its
text keeps the page's size on a phone instead of shrinking with a viewBox. SVG text does not wrap:
labels are wrapped here, at a width that fits a 320 px screen.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LINE_HEIGHT = 18  # px, for 14 px text
BAR_HEIGHT = 20
BAR_GAP = 14
# The longest bar leaves room after it for its value ("1,026,000", "12 (40%)").
BAR_MAX_PERCENT = 70
# About 36 Latin letters (or 18 Chinese characters) of 14 px text fit in 288 px.
LABEL_WIDTH_UNITS = 36


@dataclass(frozen=True)
class ChartRow:
    """One bar: its label, the number it stands for, and the table cells shown after the label."""

    label: str
    value: float
    value_text: str
    cells: tuple[str, ...] = ()


@dataclass(frozen=True)
class DrawnBar:
    row: ChartRow
    label_lines: tuple[tuple[str, int], ...]  # (text, baseline y)
    bar_y: int
    value_y: int
    width_percent: float


@dataclass(frozen=True)
class ChartLayout:
    bars: tuple[DrawnBar, ...]
    height: int
    highest: ChartRow | None


def text_units(text: str) -> int:
    """Rough width of ``text``: a wide (CJK, full-width) character counts two, any other one."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap_label(text: str, width: int = LABEL_WIDTH_UNITS) -> list[str]:
    """``text`` in lines of at most ``width`` units: at spaces where there are any, else anywhere
    (Chinese has no spaces between words)."""
    lines: list[str] = []
    line = ""
    for word in _words(text):
        candidate = (
            f"{line} {word}" if line and not _is_wide(word) and not _is_wide(line[-1]) else line + word
        )
        if line and text_units(candidate) > width:
            lines.append(line)
            line = word.lstrip()
        else:
            line = candidate
        while text_units(line) > width:  # a word longer than a line
            cut = _cut_at(line, width)
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines or [""]


def _is_wide(char_or_word: str) -> bool:
    return bool(char_or_word) and unicodedata.east_asian_width(char_or_word[0]) in "WF"


def _words(text: str) -> Iterable[str]:
    """Space-separated words, with each wide character a word of its own."""
    for word in text.split():
        chunk = ""
        for char in word:
            if _is_wide(char):
                if chunk:
                    yield chunk
                    chunk = ""
                yield char
            else:
                chunk += char
        if chunk:
            yield chunk


def _cut_at(text: str, width: int) -> int:
    used = 0
    for index, char in enumerate(text):
        used += text_units(char)
        if used > width:
            return max(index, 1)
    return len(text)


def layout(rows: Sequence[ChartRow]) -> ChartLayout:
    """Where each label line, bar and value goes; bars scale to the largest value."""
    largest = max((row.value for row in rows), default=0)
    bars = []
    y = 0
    for row in rows:
        lines = []
        for text in wrap_label(row.label):
            y += LINE_HEIGHT
            lines.append((text, y - 4))
        bar_y = y + 4
        width = round(BAR_MAX_PERCENT * row.value / largest, 2) if largest else 0
        bars.append(
            DrawnBar(
                row=row,
                label_lines=tuple(lines),
                bar_y=bar_y,
                value_y=bar_y + BAR_HEIGHT - 5,
                width_percent=width,
            )
        )
        y = bar_y + BAR_HEIGHT + BAR_GAP
    highest = max(rows, key=lambda row: row.value) if rows and largest else None
    return ChartLayout(bars=tuple(bars), height=max(y - BAR_GAP + 2, 0), highest=highest)
