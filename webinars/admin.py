from django.contrib import admin
from django.db.models import Prefetch, Sum
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import translated_fields
from travelsouth.translation_admin import TranslatedAdmin, TranslatedTabularInline

from .models import AgendaItem, Quote, QuoteSpeaker, ViewCount, Webinar, WebinarSeries


@admin.register(WebinarSeries)
class WebinarSeriesAdmin(TranslatedAdmin):
    list_display = ["title", "organiser", "starts_on", "ends_on"]
    list_select_related = ["organiser"]
    search_fields = [*translated_fields("title"), "subtitle"]
    autocomplete_fields = ["organiser", "partners"]
    prepopulated_fields = {"slug": ["title"]}


class AgendaItemInline(TranslatedTabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["speaker", "moderator", "city", "organisation"]


class ViewCountInline(TranslatedTabularInline):
    model = ViewCount
    extra = 0


@admin.register(Webinar)
class WebinarAdmin(TranslatedAdmin):
    list_display = ["number", "title", "series", "broadcast_on", "total_views"]
    list_display_links = ["number", "title"]
    list_filter = ["series", "languages", "broadcast_on"]
    list_select_related = ["series"]
    search_fields = [*translated_fields("title"), "summary"]
    autocomplete_fields = ["series", "languages", "organising_partners"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AgendaItemInline, ViewCountInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(views_sum=Sum("view_counts__views"))

    @admin.display(description=_("views"), ordering="views_sum")
    def total_views(self, webinar):
        return webinar.views_sum or 0


@admin.register(AgendaItem)
class AgendaItemAdmin(TranslatedAdmin):
    list_display = ["webinar", "order", "kind", "speaker", "speaker_role", "city"]
    list_filter = ["kind", "webinar"]
    list_select_related = ["webinar", "speaker", "city"]
    search_fields = ["title", "speaker__full_name", "speaker_role", "city__name"]
    autocomplete_fields = ["webinar", "speaker", "moderator", "city", "organisation"]


@admin.register(ViewCount)
class ViewCountAdmin(TranslatedAdmin):
    list_display = ["webinar", "platform", "views", "as_of", "as_of_precision", "source"]
    list_filter = ["platform", "webinar"]
    list_select_related = ["webinar"]
    search_fields = ["platform", "source", "webinar__title"]
    autocomplete_fields = ["webinar"]


class QuoteSpeakerInline(TranslatedTabularInline):
    model = QuoteSpeaker
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Quote)
class QuoteAdmin(TranslatedAdmin):
    """The report's quotes, as printed: keep [sic] and […] where the report needs them."""

    list_display = ["webinar", "section", "position", "speaker_names", "city", "opening"]
    list_display_links = ["webinar", "section", "position"]
    list_filter = ["section", "webinar"]
    list_select_related = ["webinar", "city"]
    search_fields = ["text", "attributions__person__full_name", "attributions__role", "city__name"]
    autocomplete_fields = ["webinar", "language", "city", "cities_mentioned"]
    inlines = [QuoteSpeakerInline]

    def get_queryset(self, request):
        attributions = QuoteSpeaker.objects.select_related("person").order_by("order")
        return super().get_queryset(request).prefetch_related(Prefetch("attributions", queryset=attributions))

    @admin.display(description=_("speakers"))
    def speaker_names(self, quote):
        return "; ".join(attribution.person.full_name for attribution in quote.attributions.all())

    @admin.display(description=_("text"))
    def opening(self, quote):
        return quote.text if len(quote.text) <= 80 else f"{quote.text[:79]}…"


@admin.register(QuoteSpeaker)
class QuoteSpeakerAdmin(TranslatedAdmin):
    list_display = ["quote", "order", "person", "role"]
    list_select_related = ["quote__webinar", "person"]
    list_filter = ["quote__webinar", "quote__section"]
    search_fields = ["person__full_name", "role", "quote__text"]
    autocomplete_fields = ["quote", "person"]
