"""Staff admin for partnerships: interests, the review of proposals (with the "Run matching" button),
partnerships and their outcomes, the matching settings and runs. Every change goes through a service."""

from django.contrib import admin

from ..matching.runs import schedule_city_proposals_refresh, schedule_matching_index_rebuild
from ..models import DevelopmentPriority, Interest, TimelineEvent
from ..services import interest_supersede_current


@admin.register(DevelopmentPriority)
class DevelopmentPriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "name_es", "name_zh", "slug"]
    autocomplete_fields = ["themes"]
    prepopulated_fields = {"slug": ["name"]}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The themes a priority covers place cities in its bucket of the matching index.
        schedule_matching_index_rebuild()


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["city", "is_current", "source", "is_published", "created_at", "superseded_at"]
    list_filter = ["is_current", "source", "is_published", "city__country"]
    list_select_related = ["city"]
    search_fields = ["city__name", "message", "source_note"]
    autocomplete_fields = [
        "city",
        "priorities",
        "themes_sought",
        "themes_offered",
        "partner_cities",
        "partner_countries",
        "partner_regions",
        "working_languages",
        "survey_response",
    ]
    # Which interest is current is the services' to say: an interest added here becomes the city's
    # current one, the previous one kept as history (as interest_record does).
    readonly_fields = ["is_current", "created_at", "superseded_at", "recorded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            interest_supersede_current(city=obj.city)
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # What matching reads about the city changed: recompute its proposals after commit.
        schedule_city_proposals_refresh(city_id=form.instance.city_id)


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "proposal", "partnership", "actor", "actor_label"]
    list_filter = ["kind"]
    list_select_related = [
        "proposal__city_a",
        "proposal__city_b",
        "partnership__city_a",
        "partnership__city_b",
        "actor",
    ]
    search_fields = ["message", "kind", "actor_label"]
    readonly_fields = ["at", "kind", "proposal", "partnership", "actor", "actor_label", "message", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The other admin pages, one module each.
from . import matching, outcomes, proposals  # noqa: E402, F401
