from django.contrib import admin

from .models import DevelopmentPriority, Interest


@admin.register(DevelopmentPriority)
class DevelopmentPriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "name_es", "name_zh", "slug"]
    autocomplete_fields = ["themes"]
    prepopulated_fields = {"slug": ["name"]}


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
    readonly_fields = ["created_at", "superseded_at", "recorded_by"]
