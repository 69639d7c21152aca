"""Partnerships: outcome tracking (status through the service, notes, joint activities, timeline)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import localized
from travelsouth.spreadsheets import csv_lines
from webinars.models import WebinarSeries

from .. import lifecycle, selectors
from ..funnel import funnel_rows, series_funnel
from ..invitations.admin import PartnershipInvitationInline
from ..models import Agreement, CheckIn, JointActivity, Partnership
from .review import (
    PartnershipForm,
    timeline_html,
)


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    """Outcome tracking: status (through the service, with a note), outcome notes, joint activities."""

    form = PartnershipForm
    inlines = [PartnershipInvitationInline]
    list_display = ["__str__", "status", "formed_at", "theme_list", "updated_at"]
    list_filter = ["status", "formed_at"]
    search_fields = ["city_a__name", "city_b__name", "outcome_notes"]
    readonly_fields = [
        "city_a",
        "city_b",
        "proposal",
        "formed_at",
        "themes_display",
        "follow_link",
        "timeline",
    ]
    fields = [
        "city_a",
        "city_b",
        "proposal",
        "formed_at",
        "themes_display",
        "follow_link",
        "status",
        "status_note",
        "outcome_notes",
        "timeline",
    ]

    def get_queryset(self, request):
        return selectors.partnerships_for_tracking()

    def has_add_permission(self, request):
        return False  # a partnership forms when both cities accept a proposal

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("themes"))
    def theme_list(self, partnership):
        return ", ".join(localized(theme, "name") for theme in partnership.themes.all()) or "-"

    @admin.display(description=_("themes"))
    def themes_display(self, partnership):
        return self.theme_list(partnership)

    change_list_template = "admin/partnerships/partnership/change_list.html"

    def get_urls(self):
        return [
            path(
                "funnel/",
                self.admin_site.admin_view(self.funnel_view),
                name="partnerships_partnership_funnel",
            ),
            *super().get_urls(),
        ]

    def funnel_view(self, request):
        """The brokering funnel of each webinar series: a chart, its table, and a CSV download."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        funnels = [
            series_funnel(series=series) for series in WebinarSeries.objects.order_by("-starts_on", "pk")
        ]
        wanted = request.GET.get("series")
        if request.GET.get("format") == "csv":
            funnel = next((funnel for funnel in funnels if funnel.series.slug == wanted), None)
            if funnel is None:
                raise Http404
            response = StreamingHttpResponse(
                csv_lines(funnel_rows(funnel)), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="funnel-{funnel.series.slug}.csv"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Brokering funnel"),
            "funnels": funnels,
        }
        return TemplateResponse(request, "admin/partnerships/partnership/funnel.html", context)

    def get_inlines(self, request, obj):
        return [AgreementInline, JointActivityInline, CheckInInline, PartnershipInvitationInline]

    @admin.display(description=_("agreements and activities"))
    def follow_link(self, partnership):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("partnerships:manage", args=[partnership.pk]),
            _("Record an agreement or a joint activity on the partnership's page"),
        )

    @admin.display(description=_("timeline"))
    def timeline(self, partnership):
        return timeline_html(selectors.partnership_timeline(partnership=partnership))

    def save_model(self, request, obj, form, change):
        stored = Partnership.objects.get(pk=obj.pk)
        try:
            if form.cleaned_data["status"] != stored.status:
                lifecycle.partnership_status_change(
                    partnership=stored,
                    status=form.cleaned_data["status"],
                    by=request.user,
                    note=form.cleaned_data.get("status_note", ""),
                )
            lifecycle.partnership_outcome_update(
                partnership=stored, outcome_notes=form.cleaned_data["outcome_notes"], by=request.user
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def save_related(self, request, form, formsets, change):
        # The themes come from the proposal; the invitations inline is read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AgreementInline(_ReadOnlyInline):
    model = Agreement
    fields = ["kind", "title", "signed_on", "has_document", "recorded_by", "created_at"]
    readonly_fields = fields

    @admin.display(boolean=True, description=_("PDF"))
    def has_document(self, agreement):
        return bool(agreement.document)


class JointActivityInline(_ReadOnlyInline):
    model = JointActivity
    fields = ["title", "kind", "status", "starts_on", "ends_on", "recorded_by"]
    readonly_fields = fields


class CheckInInline(_ReadOnlyInline):
    model = CheckIn
    fields = ["city", "after_days", "due_at", "answered_at", "answered_by", "still_active", "help_needed"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city", "answered_by")


class _RecordedOnThePartnershipPage(admin.ModelAdmin):
    """Outcomes are recorded by the two cities' officials or staff on the partnership's page
    (partnerships/views/partnerships.py, through partnerships/outcomes.py); the admin lists them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(_RecordedOnThePartnershipPage):
    list_display = ["partnership", "kind", "signed_on", "recorded_by", "created_at"]
    list_filter = ["kind", "signed_on"]
    list_select_related = ["partnership__city_a", "partnership__city_b", "recorded_by"]
    search_fields = ["partnership__city_a__name", "partnership__city_b__name", "title"]


@admin.register(JointActivity)
class JointActivityAdmin(_RecordedOnThePartnershipPage):
    list_display = ["title", "partnership", "kind", "status", "starts_on", "ends_on"]
    list_filter = ["kind", "status", "starts_on"]
    list_select_related = ["partnership__city_a", "partnership__city_b"]
    search_fields = ["title", "partnership__city_a__name", "partnership__city_b__name"]


class CheckInDueFilter(admin.SimpleListFilter):
    """Check-ins asked and not answered: due (recently) or overdue (the work queue links here)."""

    title = _("answer")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        days = selectors.unanswered_after_days()
        return [
            ("due", gettext("Check-ins due, not answered yet")),
            (
                "overdue",
                ngettext(
                    "Check-ins unanswered %(days)d day after their date",
                    "Check-ins unanswered %(days)d days after their date",
                    days,
                )
                % {"days": days},
            ),
        ]

    def queryset(self, request, queryset):
        pick = {"due": selectors.check_ins_due, "overdue": selectors.check_ins_overdue}.get(self.value())
        if pick is None:
            return queryset
        return queryset.filter(pk__in=pick(now=timezone.now()).values("pk"))


@admin.register(CheckIn)
class CheckInAdmin(_RecordedOnThePartnershipPage):
    list_display = ["partnership", "city", "after_days", "due_at", "answered_at", "still_active"]
    list_filter = [
        CheckInDueFilter,
        ("answered_at", admin.EmptyFieldListFilter),
        "after_days",
        "still_active",
    ]
    list_select_related = ["partnership__city_a", "partnership__city_b", "city"]
    search_fields = ["partnership__city_a__name", "partnership__city_b__name", "city__name"]
    date_hierarchy = "due_at"
