from django.contrib import admin

from travelsouth.translation_admin import TranslatedAdmin

from .models import Decision


@admin.register(Decision)
class DecisionAdmin(TranslatedAdmin):
    """The data set's decisions. load_report writes them from the data set's YAML (its ``decisions``)."""

    list_display = ["slug", "series", "order"]
    list_select_related = ["series"]
    list_filter = ["series"]
    search_fields = ["slug", "issue", "decision"]
