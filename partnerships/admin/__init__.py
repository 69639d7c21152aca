"""Staff admin for partnerships: interests, the review of proposals (with the "Run matching" button),
partnerships and their outcomes, the matching settings and runs. Every change goes through a service."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import translated_fields
from travelsouth.translation_admin import TranslatedAdmin

from .. import interests
from ..models import DevelopmentPriority, Interest, PriorityThemeLink, TimelineEvent
from ..timeline import timeline_entries


class PriorityThemeLinkInline(admin.TabularInline):
    """The themes whose good practices address the priority, each with a strength and a reason."""

    model = PriorityThemeLink
    extra = 0
    autocomplete_fields = ["theme"]
    fields = ["theme", "strength", "rationale"]


@admin.register(DevelopmentPriority)
class DevelopmentPriorityAdmin(TranslatedAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = [*translated_fields("name"), "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PriorityThemeLinkInline]

    def save_model(self, request, obj, form, change):
        # The index rebuild it schedules runs after commit, so after the links saved below.
        interests.development_priority_save(priority=obj)

    def save_formset(self, request, form, formset, change):
        links = formset.save(commit=False)
        for link in formset.deleted_objects:
            interests.priority_theme_link_delete(link=link)
        for link in links:
            interests.priority_theme_link_save(link=link)


@admin.register(PriorityThemeLink)
class PriorityThemeLinkAdmin(admin.ModelAdmin):
    """The whole priority-to-theme map on one page, strengths editable in the list."""

    list_display = ["priority", "theme", "strength", "rationale"]
    list_editable = ["strength", "rationale"]
    list_filter = ["priority"]
    list_select_related = ["priority", "theme"]
    search_fields = ["priority__name", "theme__name", "rationale"]
    autocomplete_fields = ["priority", "theme"]

    def save_model(self, request, obj, form, change):
        interests.priority_theme_link_save(link=obj)

    def delete_model(self, request, obj):
        interests.priority_theme_link_delete(link=obj)

    def delete_queryset(self, request, queryset):
        for link in queryset:
            interests.priority_theme_link_delete(link=link)


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
        "excluded_countries",
        "excluded_regions",
        "survey_response",
    ]
    # Which interest is current is the services' to say: an interest added here becomes the city's
    # current one, the previous one kept as history (as interest_record does).
    readonly_fields = ["is_current", "created_at", "superseded_at", "recorded_by", "item_sources"]

    def save_model(self, request, obj, form, change):
        # The refresh it schedules runs after commit, so after the relations saved below.
        interests.interest_save(interest=obj, by=request.user)

    def delete_model(self, request, obj):
        interests.interest_delete(interest=obj)

    def delete_queryset(self, request, queryset):
        for interest in queryset:
            interests.interest_delete(interest=interest)


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_filter = ["kind"]
    list_select_related = [
        "proposal__city_a",
        "proposal__city_b",
        "partnership__city_a",
        "partnership__city_b",
        "actor",
    ]
    search_fields = ["kind", "actor_label"]
    readonly_fields = ["at", "kind", "proposal", "partnership", "actor", "actor_label", "sentence", "data"]

    list_display = ["at", "kind", "proposal", "partnership", "who", "sentence"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The sentences of a page's events are made together: two queries for their names.
        self._lines = {
            event.pk: line
            for event, line in zip(
                changelist.result_list, timeline_entries(changelist.result_list), strict=True
            )
        }
        return changelist

    def _line(self, event):
        lines = getattr(self, "_lines", {})
        return lines.get(event.pk) or timeline_entries([event])[0]

    @admin.display(description=_("by"))
    def who(self, event):
        return self._line(event).who

    @admin.display(description=_("what happened"))
    def sentence(self, event):
        return self._line(event).text


# The other admin pages, one module each.
from . import matching, outcomes, proposals  # noqa: E402, F401
