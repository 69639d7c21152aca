"""The report loader's part for what the report says about itself: its quotes, and the data set's
decisions about how to read it (the ``quotes`` and ``decisions`` sections of the report's YAML)."""

from __future__ import annotations

from collections import Counter

from webinars.models import Quote, QuoteSpeaker, WebinarSeries

from .common import row_translations, translated
from .models import Decision
from .provenance import WITHHELD


class QuoteLoading:
    """Methods of the report loader (``loader.ReportLoader``) for quotes and decisions."""

    def load_quotes(self, rows: list[dict]) -> None:
        """Every quote, in the report's order; a quote's position counts within its webinar and section.

        A quote the data set no longer has is deleted, as are speakers beyond a quote's list.
        """
        positions: Counter = Counter()
        kept: set[int] = set()
        for row in rows:
            webinar = self.pick(self.webinars, row["webinar"], "webinar")
            section = row.get("section", Quote.Section.HIGHLIGHTS)
            positions[(webinar.number, section)] += 1
            quote = self.upsert(
                Quote,
                {"webinar": webinar, "section": section, "position": positions[(webinar.number, section)]},
                {
                    "text": row["text"],
                    **row_translations(row, "text"),
                    "language": self.pick(self.languages, row.get("language", "en"), "language"),
                    "city": self.pick(self.cities, row["city"], "city") if row.get("city") else None,
                },
            )
            if quote is WITHHELD:
                continue  # deleted since an earlier load, or its city or webinar was: not created again
            self.set_related(
                quote, "cities_mentioned", self.pick_all(self.cities, row.get("mentions"), "city")
            )
            for order, speaker in enumerate(row["speakers"], start=1):
                self.upsert(
                    QuoteSpeaker,
                    {"quote": quote, "order": order},
                    {
                        "person": self.pick(self.people, speaker["person"], "person"),
                        **self.in_languages("role", speaker.get("role", "")),
                    },
                )
            stale_speakers = quote.attributions.filter(order__gt=len(row["speakers"]))
            if stale_speakers.exists():
                self.provenance.forget(stale_speakers)
                stale_speakers.delete()
                self.summary.record(QuoteSpeaker, "updated")
            kept.add(quote.pk)
        stale_quotes = Quote.objects.filter(webinar__in=list(self.webinars.values())).exclude(pk__in=kept)
        if stale_quotes.exists():
            self.provenance.forget(QuoteSpeaker.objects.filter(quote__in=stale_quotes))
            self.provenance.forget(stale_quotes)
            stale_quotes.delete()
            self.summary.record(Quote, "updated")

    def load_decisions(self, series: WebinarSeries, rows: list[dict]) -> None:
        """The data set's decisions, by id, in the file's order; one it no longer has is deleted."""
        for order, row in enumerate(rows, start=1):
            self.upsert(
                Decision,
                {"slug": row["id"]},
                {
                    "series": series,
                    "order": order,
                    **{field: row.get(field, "") for field in translated("issue", "decision")},
                },
            )
        stale = Decision.objects.filter(series=series).exclude(slug__in=[row["id"] for row in rows])
        if stale.exists():
            self.provenance.forget(stale)
            stale.delete()
            self.summary.record(Decision, "updated")
