"""Load the report's data set (data/report/*.yaml) into the database, idempotently.

Every record is found by its natural key (a slug, a webinar number, an agenda position). What is
missing is created; what exists is never overwritten where anyone edited it since the last load
(report/provenance.py), so a deploy that loads the data again keeps every staff edit. A second run
writes nothing and reports every row as unchanged.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation

from .common import LoadSummary, ReportDataError
from .loader import ReportLoader
from .validation import read_yaml, reported_against_the_row

VOCABULARY_FILE = "vocabulary.yaml"
REPORT_FILE = "travel-south-over-cloud.yaml"
# The Spanish and Chinese of the report's names, headings and roles (the report prints English only).
TRANSLATIONS_FILE = "translations.yaml"

__all__ = ["LoadSummary", "ReportDataError", "load_report", "read_report_data"]


def read_report_data(data_dir: Path | None = None) -> tuple[dict, dict]:
    data_dir = Path(data_dir or settings.REPORT_DATA_DIR)
    vocabulary, report = read_yaml(data_dir / VOCABULARY_FILE), read_yaml(data_dir / REPORT_FILE)
    for path, data in ((data_dir / VOCABULARY_FILE, vocabulary), (data_dir / REPORT_FILE, report)):
        if not isinstance(data, dict):
            raise ReportDataError(f"{path.name}: expected sections (a mapping), not {type(data).__name__}.")
    if (data_dir / TRANSLATIONS_FILE).exists():
        report["translations"] = (read_yaml(data_dir / TRANSLATIONS_FILE) or {}).get("translations", [])
    return vocabulary, report


def load_report(*, data_dir: Path | None = None, update: bool = False) -> LoadSummary:
    """Create what is missing of the vocabularies and the report; with ``update``, also take the data
    set's new values for rows nobody edited since the last load (report/provenance.py). All or
    nothing: any error rolls the whole load back, and names the file, line, row and field."""
    vocabulary, report = read_report_data(data_dir)
    loader = ReportLoader(update=update)
    # The data set's base texts are English: written with English active, they go to the base and
    # the _en columns (modeltranslation writes the active language's column).
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic(), reported_against_the_row():
        loader.load_vocabulary(vocabulary)
        loader.load_report(report)
        loader.provenance.save()
    return loader.summary
