"""The matching settings (weights and rules) and the record of matching runs."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..matching.configuration import matching_settings_update
from ..matching.explanations import describe_run_notes
from ..models import (
    MatchingRun,
    MatchingSettings,
)


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "proposals_per_city",
        "cooling_off_days",
        "allow_same_country",
        "allow_triangular",
        "updated_at",
        "updated_by",
    ]
    readonly_fields = ["updated_at", "updated_by"]
    fieldsets = [
        (
            _("Rules"),
            {
                "fields": [
                    "proposals_per_city",
                    "cooling_off_days",
                    "allow_same_country",
                    "allow_triangular",
                    "min_score",
                    "bucket_cap",
                    "non_invitable_factor",
                    "non_invitable_uses_slots",
                    "clear_margin",
                ]
            },
        ),
        (
            _("Weights"),
            {
                "fields": [
                    "weight_named_city",
                    "weight_mutual",
                    "weight_named_country",
                    "weight_named_region",
                    "weight_fit",
                    "weight_complementary",
                    "weight_declared_offer",
                    "weight_webinar",
                    "weight_world_heritage",
                    "weight_common_language",
                    "weight_nearby",
                    "nearby_km",
                    "weight_similar_size",
                    "weight_triangular",
                ]
            },
        ),
        (None, {"fields": ["updated_at", "updated_by"]}),
    ]

    def has_add_permission(self, request):
        # The singleton: for superusers, or staff given the named permission (in no role).
        return super().has_add_permission(request) and not MatchingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        matching_settings_update(by=request.user, **values)


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "scope",
        "status",
        "trigger",
        "created_count",
        "updated_count",
        "unchanged_count",
        "superseded_count",
        "note_count",
        "finished_at",
    ]
    list_filter = ["scope", "status"]
    list_select_related = ["city", "started_by"]
    search_fields = ["city__name", "trigger"]
    fields = [
        "scope",
        "city",
        "status",
        "trigger",
        "started_by",
        "started_at",
        "finished_at",
        "candidate_count",
        "created_count",
        "updated_count",
        "unchanged_count",
        "superseded_count",
        "notes_explained",
        "settings_used",
        "error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("named pairs not proposed"))
    def note_count(self, run):
        return len(run.notes)

    @admin.display(description=_("named pairs not proposed"))
    def notes_explained(self, run):
        lines = describe_run_notes(run.notes, cap=run.settings_used.get("proposals_per_city"))
        if not lines:
            return "-"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines)))
