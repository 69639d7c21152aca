"""Admin actions over many rows: each row all or nothing, and a report that names every row.

A service refusing one row (it changed state meanwhile) or failing on it (a database error, a bug)
must neither stop the rows after it nor leave that row half done: each row runs in its own
transaction, and the staff member is told which rows were done, which were refused and why, and
which failed and can simply be tried again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass
class RowsReport:
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def each_row(
    rows: Iterable, act: Callable[[object], object], *, describe: Callable[[object], str] = str
) -> RowsReport:
    """Run ``act(row)`` for each row in a transaction of its own. ``act`` returning False means the row
    needed nothing (skipped); a ValidationError is a refusal with its reason; any other error is
    logged and the row reported as failed, with nothing of it kept."""
    report = RowsReport()
    for row in rows:
        name = describe(row)
        try:
            with transaction.atomic():
                outcome = act(row)
        except ValidationError as error:
            report.refused.append((name, " ".join(error.messages)))
        except Exception:
            logger.exception("Admin action failed on %r", name)
            report.failed.append(name)
        else:
            (report.skipped if outcome is False else report.done).append(name)
    return report


def tell(model_admin, request, report: RowsReport, *, done: str, skipped: str = "") -> None:
    """Tell the staff member what became of every row. ``done`` and ``skipped`` are sentences with a
    ``%(rows)s`` placeholder for the list of rows."""
    if report.done:
        model_admin.message_user(request, done % {"rows": "; ".join(report.done)}, messages.SUCCESS)
    if report.skipped and skipped:
        model_admin.message_user(request, skipped % {"rows": "; ".join(report.skipped)}, messages.WARNING)
    for name, reason in report.refused:
        model_admin.message_user(request, f"{name}: {reason}", messages.ERROR)
    if report.failed:
        model_admin.message_user(request, FAILED_ROWS % {"rows": "; ".join(report.failed)}, messages.ERROR)
    if not (report.done or report.skipped or report.refused or report.failed):
        model_admin.message_user(request, gettext("No rows were selected."), messages.WARNING)


FAILED_ROWS = _(
    "Not done because of an unexpected error, with nothing changed for them (try again): %(rows)s."
)
