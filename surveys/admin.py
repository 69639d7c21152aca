from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from travelsouth.admin_rows import each_row, tell
from travelsouth.i18n import translated_fields
from travelsouth.spreadsheets import csv_lines
from travelsouth.translation_admin import TranslatedAdmin, TranslatedStackedInline, TranslatedTabularInline

from .links import personal_link_url
from .models import Answer, Option, Question, Response, ResponseRevision, Survey, SurveyInvitee
from .permissions import can_view_personal_links
from .selectors import survey_problems
from .services import survey_close, survey_results_publish


class _PersonalLinksPermission:
    """``permissions=["view_personal_links"]`` on an admin action asks this method."""

    def has_view_personal_links_permission(self, request) -> bool:
        return can_view_personal_links(request.user)


def _personal_links_response(request, invitees: QuerySet[SurveyInvitee], *, as_csv: bool):
    """The personal links of ``invitees``, as an admin page to copy from or as a CSV file."""
    rows = [
        (invitee, personal_link_url(invitee=invitee))
        for invitee in invitees.select_related("survey", "person", "city").order_by("survey", "person")
    ]
    if as_csv:
        header = [
            gettext("Survey"),
            gettext("Person"),
            gettext("E-mail"),
            gettext("City"),
            gettext("Language"),
        ]
        lines = csv_lines(
            [
                [*header, gettext("Personal link")],
                *(
                    [
                        invitee.survey.slug,
                        invitee.person.full_name,
                        invitee.person.email,
                        str(invitee.city or ""),
                        invitee.person.preferred_language,
                        url,
                    ]
                    for invitee, url in rows
                ),
            ]
        )
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="personal-survey-links.csv"'
        return response
    return TemplateResponse(
        request,
        "admin/surveys/personal_links.html",
        {**admin.site.each_context(request), "title": gettext("Personal survey links"), "rows": rows},
    )


class QuestionInline(TranslatedStackedInline):
    model = Question
    extra = 0
    show_change_link = True
    fk_name = "survey"
    fields = [
        ("order", "kind", "required", "purpose"),
        "text",
        "result_label",
        ("rating_min", "rating_max"),
        "asked_if_yes_to",
        "options_summary",
    ]
    readonly_fields = ["options_summary"]
    autocomplete_fields = ["asked_if_yes_to"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("asked_if_yes_to").prefetch_related("options")

    @admin.display(description=_("options"))
    def options_summary(self, question):
        if not question.pk or not question.has_options:
            return gettext("Choice questions get their options on the question's own page, once saved.")
        labels = format_html_join(", ", "{}", ((option.label,) for option in question.options.all()))
        link = reverse("admin:surveys_question_change", args=[question.pk])
        return format_html('{} — <a href="{}">{}</a>', labels or "—", link, gettext("edit the options"))


@admin.register(Survey)
class SurveyAdmin(_PersonalLinksPermission, TranslatedAdmin):
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
    search_fields = [*translated_fields("title"), "description"]
    autocomplete_fields = ["webinar", "series"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["pages", "problems"]
    inlines = [QuestionInline]
    actions = [
        "publish_results",
        "unpublish_results",
        "close_surveys",
        "show_personal_links",
        "export_personal_links",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(responses_total=Count("responses"))

    @admin.display(description=_("responses"), ordering="responses_total")
    def response_count(self, survey):
        return survey.responses_total

    @admin.display(description=_("pages"))
    def pages(self, survey):
        if not survey.pk:
            return "—"
        links = [
            (reverse("surveys:results", args=[survey.slug]), gettext("Results")),
            (reverse("surveys:export_answers", args=[survey.slug]), gettext("Answers (CSV)")),
            (reverse("surveys:export_results", args=[survey.slug]), gettext("Results (CSV)")),
            (reverse("surveys:answer_for_city", args=[survey.slug]), gettext("Answer page for officials")),
        ]
        if survey.results_published:
            links.append((reverse("surveys:summary", args=[survey.slug]), gettext("Public summary")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.display(description=_("problems"))
    def problems(self, survey):
        if not survey.pk:
            return "—"
        return format_html_join(
            ", ", "{}", ((problem,) for problem in survey_problems(survey=survey))
        ) or gettext("None: the survey can be answered.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for problem in survey_problems(survey=form.instance):
            self.message_user(request, problem, messages.WARNING)

    def has_delete_permission(self, request, obj=None):
        # A survey that was answered is closed, never deleted (its responses protect it too).
        if obj is not None and obj.responses.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Close the selected surveys now"), permissions=["change"])
    def close_surveys(self, request, queryset):
        report = each_row(queryset, lambda survey: survey_close(survey=survey))
        tell(
            self,
            request,
            report,
            done=gettext("Closed: %(rows)s."),
            skipped=gettext("Already closed: %(rows)s."),
        )

    @admin.action(description=_("Publish the results summary"), permissions=["change"])
    def publish_results(self, request, queryset):
        report = each_row(queryset, lambda survey: survey_results_publish(survey=survey, published=True))
        tell(self, request, report, done=gettext("Results published: %(rows)s."))

    @admin.action(description=_("Unpublish the results summary"), permissions=["change"])
    def unpublish_results(self, request, queryset):
        report = each_row(queryset, lambda survey: survey_results_publish(survey=survey, published=False))
        tell(self, request, report, done=gettext("Results unpublished: %(rows)s."))

    @admin.action(description=_("Show the invitees' personal links"), permissions=["view_personal_links"])
    def show_personal_links(self, request, queryset):
        return _personal_links_response(
            request, SurveyInvitee.objects.filter(survey__in=queryset), as_csv=False
        )

    @admin.action(
        description=_("Export the invitees' personal links (CSV)"), permissions=["view_personal_links"]
    )
    def export_personal_links(self, request, queryset):
        return _personal_links_response(
            request, SurveyInvitee.objects.filter(survey__in=queryset), as_csv=True
        )


class OptionFormSet(BaseInlineFormSet):
    """A choice question needs options; any other kind has none."""

    def clean(self):
        super().clean()
        question = self.instance
        # An untouched extra row has empty cleaned_data.
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if question.kind in Question.CHOICE_KINDS and not kept:
            raise ValidationError(gettext("A choice question needs options: add at least one."))
        if question.kind not in Question.CHOICE_KINDS and kept:
            raise ValidationError(
                gettext("Only choice questions have options: remove them or change the kind.")
            )


class OptionInline(TranslatedTabularInline):
    model = Option
    formset = OptionFormSet
    extra = 0
    autocomplete_fields = ["city", "priority"]


@admin.register(Question)
class QuestionAdmin(TranslatedAdmin):
    list_display = ["survey", "order", "kind", "text", "required", "purpose"]
    list_filter = ["kind", "purpose", "required", "survey"]
    list_select_related = ["survey"]
    search_fields = [*translated_fields("text"), "survey__title"]
    autocomplete_fields = ["survey", "asked_if_yes_to"]
    fields = [
        "survey",
        ("order", "kind", "required", "purpose"),
        "text",
        "result_label",
        ("rating_min", "rating_max"),
        "asked_if_yes_to",
    ]
    inlines = [OptionInline]


@admin.register(Option)
class OptionAdmin(TranslatedAdmin):
    list_display = ["question", "order", "label", "city", "priority"]
    list_select_related = ["question__survey", "city", "priority"]
    search_fields = [*translated_fields("label"), "question__text"]
    autocomplete_fields = ["question", "city", "priority"]


class _ReadOnly:
    """Answers are what the respondent said: they change only when the respondent submits again
    (surveys.services.response_submit keeps the earlier version and feeds brokering). Staff read them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnswerInline(_ReadOnly, admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "yes", "rating", "text", "chosen"]
    readonly_fields = fields

    @admin.display(description=_("options chosen"))
    def chosen(self, answer):
        return ", ".join(str(option) for option in answer.options.all()) or "-"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question").prefetch_related("options")


class ResponseRevisionInline(admin.TabularInline):
    model = ResponseRevision
    extra = 0
    fields = ["number", "submitted_at", "city", "language", "answers", "replaced_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["survey", "respondent", "city", "submitted_at", "language", "is_reconstructed"]
    list_filter = ["survey", "language", "is_reconstructed", "city__country"]
    list_select_related = ["survey", "respondent", "city"]
    search_fields = ["respondent__full_name", "respondent__email", "city__name", "survey__title"]
    autocomplete_fields = ["survey", "respondent", "city"]
    date_hierarchy = "submitted_at"
    inlines = [AnswerInline, ResponseRevisionInline]

    def get_queryset(self, request):
        # Never an anonymous survey's responses: a list of them beside their city and day could
        # point at who gave them. Staff read those answers on the results page and in its CSV.
        return super().get_queryset(request).filter(survey__is_anonymous=False)


@admin.register(ResponseRevision)
class ResponseRevisionAdmin(admin.ModelAdmin):
    """Earlier versions of responses: history, never edited."""

    list_display = ["response", "number", "submitted_at", "replaced_at"]
    list_filter = ["response__survey"]
    list_select_related = ["response__survey", "response__respondent"]
    search_fields = ["response__respondent__full_name", "response__survey__title"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(response__survey__is_anonymous=False)

    readonly_fields = ["response", "number", "submitted_at", "city", "language", "answers", "replaced_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Answer)
class AnswerAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["response", "question", "yes", "rating", "text"]
    list_filter = ["question__survey", "question__kind"]
    list_select_related = ["response__survey", "response__respondent", "question"]
    search_fields = ["text", "response__respondent__full_name", "question__text"]
    autocomplete_fields = ["response", "question", "options"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(response__survey__is_anonymous=False)


@admin.register(SurveyInvitee)
class SurveyInviteeAdmin(_PersonalLinksPermission, admin.ModelAdmin):
    list_display = ["person", "survey", "city", "language", "created_at"]
    list_filter = ["survey", "person__preferred_language"]
    list_select_related = ["person", "survey", "city"]
    search_fields = ["person__full_name", "person__email", "survey__title"]
    autocomplete_fields = ["survey", "person", "city"]
    readonly_fields = ["personal_link"]
    actions = ["show_personal_links", "export_personal_links"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_view_personal_links(request.user):
            fields.remove("personal_link")  # only for staff who may hand the links out
        return fields

    @admin.display(description=_("language"), ordering="person__preferred_language")
    def language(self, invitee):
        return invitee.person.get_preferred_language_display()

    @admin.display(description=_("personal link"))
    def personal_link(self, invitee):
        if not invitee.pk:
            return gettext("Available once saved.")
        url = personal_link_url(invitee=invitee)
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.action(description=_("Show the personal links"), permissions=["view_personal_links"])
    def show_personal_links(self, request, queryset):
        return _personal_links_response(request, queryset, as_csv=False)

    @admin.action(description=_("Export the personal links (CSV)"), permissions=["view_personal_links"])
    def export_personal_links(self, request, queryset):
        return _personal_links_response(request, queryset, as_csv=True)
