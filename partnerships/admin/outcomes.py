"""Partnerships: outcome tracking (status through the service, notes, joint activities, timeline)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import localized

from .. import lifecycle, selectors
from ..invitations.admin import PartnershipInvitationInline
from ..models import (
    Partnership,
)
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
    search_fields = ["city_a__name", "city_b__name", "outcome_notes", "joint_activities"]
    readonly_fields = ["city_a", "city_b", "proposal", "formed_at", "themes_display", "timeline"]
    fields = [
        "city_a",
        "city_b",
        "proposal",
        "formed_at",
        "themes_display",
        "status",
        "status_note",
        "outcome_notes",
        "joint_activities",
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
                partnership=stored,
                outcome_notes=form.cleaned_data["outcome_notes"],
                joint_activities=form.cleaned_data["joint_activities"],
                by=request.user,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def save_related(self, request, form, formsets, change):
        # The themes come from the proposal; the invitations inline is read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
