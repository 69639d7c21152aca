from django.contrib import admin
from django.db.models import Count

from .models import Answer, Option, Question, Response, Survey, SurveyInvitee


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    show_change_link = True
    fk_name = "survey"
    fields = [("order", "kind", "required", "purpose"), "text", "text_es", "text_zh", "result_label"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "webinar",
        "opens_at",
        "closes_at",
        "is_anonymous",
        "results_published",
        "response_count",
    ]
    list_filter = ["is_anonymous", "results_published", "webinar"]
    list_select_related = ["webinar"]
    search_fields = ["title", "title_es", "title_zh", "description"]
    autocomplete_fields = ["webinar", "series"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(responses_total=Count("responses"))

    @admin.display(description="responses", ordering="responses_total")
    def response_count(self, survey):
        return survey.responses_total


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    autocomplete_fields = ["city", "priority"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["survey", "order", "kind", "text", "required", "purpose"]
    list_filter = ["kind", "purpose", "required", "survey"]
    list_select_related = ["survey"]
    search_fields = ["text", "text_es", "text_zh", "survey__title"]
    autocomplete_fields = ["survey", "asked_if_yes_to"]
    inlines = [OptionInline]


@admin.register(Option)
class OptionAdmin(admin.ModelAdmin):
    list_display = ["question", "order", "label", "city", "priority"]
    list_select_related = ["question", "city", "priority"]
    search_fields = ["label", "label_es", "label_zh", "question__text"]
    autocomplete_fields = ["question", "city", "priority"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    autocomplete_fields = ["question", "options"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "respondent", "city", "submitted_at", "language", "is_reconstructed"]
    list_filter = ["survey", "language", "is_reconstructed", "city__country"]
    list_select_related = ["survey", "respondent", "city"]
    search_fields = ["respondent__full_name", "respondent__email", "city__name", "survey__title"]
    autocomplete_fields = ["survey", "respondent", "city"]
    date_hierarchy = "submitted_at"
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["response", "question", "yes", "rating", "text"]
    list_filter = ["question__survey", "question__kind"]
    list_select_related = ["response__survey", "response__respondent", "question"]
    search_fields = ["text", "response__respondent__full_name", "question__text"]
    autocomplete_fields = ["response", "question", "options"]


@admin.register(SurveyInvitee)
class SurveyInviteeAdmin(admin.ModelAdmin):
    list_display = ["person", "survey", "city", "created_at"]
    list_filter = ["survey"]
    list_select_related = ["person", "survey", "city"]
    search_fields = ["person__full_name", "person__email", "survey__title"]
    autocomplete_fields = ["survey", "person", "city"]
