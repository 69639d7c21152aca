"""Pieces of the staff's review admin: list filters, forms, and the HTML of reasons and timelines."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
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


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept in the proposal's timeline."),
    )


class ContactForm(forms.Form):
    """A contact staff add to a city from the proposal page; they are asked for consent by e-mail."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    title = forms.CharField(label=_("Position"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"))
    preferred_language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)


class PartnershipForm(forms.ModelForm):
    status_note = forms.CharField(
        label=_("Note on the status change"),
        required=False,
        max_length=500,
        help_text=_("Recorded in the timeline with the change."),
    )

    class Meta:
        model = Partnership
        fields = ["status", "outcome_notes"]


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
            "<li><strong>+{}</strong> {}{}<br><small>{}</small></li>",
            (
                (f"{reason.weight:g}", reason.text, reconstructed_mark(reason), evidence_links(reason))
                for reason in explained
            ),
        ),
    )


def reconstructed_mark(reason: ExplainedReason):
    """A reason resting on data the report does not state says so, and links to the data set's notes."""
    if not reason.reconstructed:
        return ""
    return format_html(
        ' <em class="reconstructed">({} <a href="{}">{}</a>)</em>',
        gettext("rests on reconstructed data:"),
        reverse("about_data"),
        gettext("about the data"),
    )


def reach_html(proposal, sides) -> str:
    """Per city: who can be invited, or what is missing, with the actions that fill the gap."""
    rows = []
    for side in sides:
        if side.invitable:
            state = format_html(
                '<strong class="reach-ok">{}</strong> {}',
                gettext("Can be invited:"),
                ", ".join(person.full_name for person in side.invitable),
            )
        else:
            state = format_html('<strong class="reach-missing">{}</strong>', gettext("Nobody to invite yet."))
        missing = []
        for person in side.without_consent:
            missing.append(
                format_html(
                    '{} ({}) <button type="submit" class="button" form="consent-request-{}">{}</button>',
                    person.full_name,
                    gettext("has not agreed to be contacted"),
                    person.pk,
                    gettext("Ask for consent by e-mail"),
                )
            )
        for person in side.without_email:
            missing.append(
                format_html(
                    '{} (<a href="{}">{}</a>)',
                    person.full_name,
                    reverse("admin:cities_person_change", args=[person.pk]),
                    gettext("no e-mail address: add one"),
                )
            )
        if side.placeholders:
            missing.append(
                format_html(
                    "{}",
                    ngettext(
                        "%(count)d placeholder person from the report's reconstructed data (never contacted)",
                        "%(count)d placeholder people from the report's reconstructed data (never contacted)",
                        side.placeholders,
                    )
                    % {"count": side.placeholders},
                )
            )
        add = format_html(
            '<a href="{}">{}</a>',
            reverse("admin:partnerships_proposal_add_contact", args=[proposal.pk, side.city.pk]),
            gettext("Add a contact and ask them for consent"),
        )
        rows.append(
            format_html(
                "<li><strong>{}</strong>: {}{}<br>{}</li>",
                localized(side.city, "name"),
                state,
                format_html_join("", "<br>{}", ((item,) for item in missing)),
                add,
            )
        )
    return format_html(
        '<ul class="matching-reach">{}</ul>', format_html_join("", "{}", ((row,) for row in rows))
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
