"""Pieces of the staff's review admin: list filters, forms, and the HTML of reasons and timelines."""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cities.models import Country, Region, Theme
from travelsouth.i18n import localized

from ..matching.explanations import ExplainedReason, explain_reasons
from ..models import Partnership
from ..timeline import timeline_entries

EVIDENCE_ADMIN = {
    "interest": "admin:partnerships_interest_change",
    "survey_response": "admin:surveys_response_change",
    "good_practice": "admin:cities_goodpractice_change",
}
EVIDENCE_LABELS = {
    "interest": _("interest"),
    "survey_response": _("survey response"),
    "good_practice": _("good practice"),
}


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        return [(country.pk, localized(country, "name")) for country in Country.objects.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Q(city_a__country_id=self.value()) | Q(city_b__country_id=self.value()))
        return queryset


class RegionFilter(admin.SimpleListFilter):
    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(region.pk, localized(region, "name")) for region in Region.objects.order_by("level", "name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        region = self.value()
        return queryset.filter(
            Q(city_a__country__region_id=region)
            | Q(city_a__country__subregion_id=region)
            | Q(city_b__country__region_id=region)
            | Q(city_b__country__subregion_id=region)
        )


class ThemeFilter(admin.SimpleListFilter):
    title = _("proposed theme")
    parameter_name = "theme"

    def lookups(self, request, model_admin):
        return [(theme.pk, localized(theme, "name")) for theme in Theme.objects.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(themes__id=self.value()).distinct()
        return queryset


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        help_text=_(
            "Kept on the proposal and in its timeline. The pair is not proposed again during the cooling-off period."
        ),
    )


class PartnershipForm(forms.ModelForm):
    status_note = forms.CharField(
        label=_("Note on the status change"),
        required=False,
        max_length=500,
        help_text=_("Recorded in the timeline with the change."),
    )

    class Meta:
        model = Partnership
        fields = ["status", "outcome_notes", "joint_activities"]


def evidence_links(reason: ExplainedReason):
    links = []
    for evidence in reason.evidence:
        try:
            url = reverse(EVIDENCE_ADMIN[evidence.kind], args=[evidence.id])
        except NoReverseMatch:
            continue
        links.append((url, EVIDENCE_LABELS[evidence.kind], evidence.label))
    return format_html_join(" · ", '<a href="{}" title="{}">{}</a>', links)


def reasons_html(reasons: list[dict]):
    """The reasons as a list of sentences, each with its weight and links to its evidence."""
    explained = explain_reasons([reasons])[0]
    if not explained:
        return "-"
    return format_html(
        '<ul class="matching-reasons">{}</ul>',
        format_html_join(
            "",
            "<li><strong>+{}</strong> {}<br><small>{}</small></li>",
            ((f"{reason.weight:g}", reason.text, evidence_links(reason)) for reason in explained),
        ),
    )


def timeline_html(events):
    rows = [
        (f"{line.at:%Y-%m-%d %H:%M}", line.who, line.what, line.text) for line in timeline_entries(events)
    ]
    if not rows:
        return "-"
    return format_html(
        '<table class="matching-timeline"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        gettext("When"),
        gettext("Who"),
        gettext("What"),
        gettext("Details"),
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
    )
