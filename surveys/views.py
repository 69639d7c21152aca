"""Survey pages: answering (personal link or as a city official), results, public summary, CSV.

Every way a survey can be unavailable (unknown, not open yet, closed, a bad link, not an official)
renders templates/surveys/unavailable.html with a sentence saying why and what to do.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cities.models import City, Country, Person
from travelsouth.pages import public_page
from travelsouth.spreadsheets import csv_lines
from webinars.selectors import webinar_list

from . import exports, permissions, selectors
from .forms import SurveyAnswerForm, initial_answers
from .links import PersonalLinkError, personal_link_invitee
from .models import Survey
from .services import response_submit, response_submit_for_city, survey_questions

# Why a survey cannot be answered or read here -> HTTP status of the explaining page.
UNAVAILABLE_STATUS = {
    "unknown": 404,
    "not_published": 404,
    "not_open": 200,
    "closed": 200,
    "not_ready": 200,
    "not_official": 403,
    "not_staff": 403,
    "answered_anonymously": 200,
    PersonalLinkError.TAMPERED: 400,
    PersonalLinkError.NOT_INVITED: 404,
    PersonalLinkError.EXPIRED: 410,
}


def unavailable(
    request: HttpRequest, reason: str, *, survey: Survey | None = None, response=None
) -> HttpResponse:
    return render(
        request,
        "surveys/unavailable.html",
        {"reason": reason, "survey": survey, "response": response},
        status=UNAVAILABLE_STATUS[reason],
    )


def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = list(selectors.survey_list(user=request.user))
    now = timezone.now()
    for survey in surveys:
        survey.state = survey.state_at(now)
    return render(
        request,
        "surveys/survey_list.html",
        {"surveys": surveys, "is_staff": permissions.is_survey_staff(request.user)},
    )


# --- answering ----------------------------------------------------------------------------------


def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's personal page: answer, or change the answers while the survey is open."""
    try:
        invitee = personal_link_invitee(token=token)
    except PersonalLinkError as error:
        return unavailable(request, error.reason)
    return _answer(
        request,
        survey=invitee.survey,
        respondent=invitee.person,
        city=invitee.city or invitee.person.city,
        cities=None,
    )


def answer_for_city(request: HttpRequest, slug: str) -> HttpResponse:
    """An approved city official answers for their city."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    survey = selectors.survey_by_slug(slug=slug)
    if survey is None:
        return unavailable(request, "unknown")
    cities = selectors.official_cities(user=request.user)
    if not cities.exists():
        return unavailable(request, "not_official", survey=survey)
    return _answer(
        request,
        survey=survey,
        respondent=selectors.person_of_user(user=request.user),
        city=None,
        cities=cities,
    )


def _answer(
    request: HttpRequest, *, survey: Survey, respondent: Person | None, city: City | None, cities
) -> HttpResponse:
    response = selectors.response_of(survey=survey, respondent=respondent)
    state = survey.state_at(timezone.now())
    if state != "open":
        return unavailable(request, state, survey=survey, response=response)
    if selectors.has_answered_anonymously(survey=survey, respondent=respondent):
        return unavailable(request, "answered_anonymously", survey=survey)
    if selectors.survey_problems(survey=survey):
        return unavailable(request, "not_ready", survey=survey)
    questions = survey_questions(survey=survey)

    if request.method == "POST":
        form = SurveyAnswerForm(request.POST, questions=questions, cities=cities)
        if form.is_valid():
            try:
                if cities is None:
                    submitted = response_submit(
                        survey=survey,
                        respondent=respondent,
                        city=city,
                        answers=form.answers(),
                        language=translation.get_language(),
                    )
                else:
                    submitted = response_submit_for_city(
                        survey=survey,
                        user=request.user,
                        city=form.chosen_city,
                        answers=form.answers(),
                        language=translation.get_language(),
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you: your answers are recorded. You can change them here until %(date)s.")
                    % {"date": _date(survey.closes_at)},
                )
                for sentence in getattr(submitted, "feedback", []):
                    messages.info(request, sentence)
                return redirect(request.get_full_path())
    else:
        form = SurveyAnswerForm(
            initial=initial_answers(response) or {"city": city.pk if city else None},
            questions=questions,
            cities=cities,
        )
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "form": form,
            "response": response,
            "respondent": respondent,
            "city": city,
            "closes_at": survey.closes_at,
        },
    )


def _date(value) -> str:
    return date_format(timezone.localtime(value), "DATE_FORMAT")


# --- results ------------------------------------------------------------------------------------


def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    """The staff results page: every figure, charts with tables, breakdowns and free-text answers."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    survey = selectors.survey_by_slug(slug=slug)
    if survey is None:
        return unavailable(request, "unknown")
    if not permissions.is_survey_staff(request.user):
        return unavailable(request, "not_staff", survey=survey)
    country = Country.objects.filter(iso_code=request.GET.get("country", "")).first()
    city = City.objects.filter(slug=request.GET.get("city", "")).first()
    try:
        results = selectors.survey_results(
            survey=survey,
            user=request.user,
            country=country,
            city=city if permissions.can_view_result_details(request.user, survey) else None,
        )
    except PermissionDenied:
        return unavailable(request, "not_staff", survey=survey)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": results,
            "country": country,
            "city": city,
            "webinars": _series_webinars(survey),
            "full_results": selectors.survey_results(survey=survey, user=request.user)
            if (country or city)
            else results,
        },
    )


@public_page
def survey_summary(request: HttpRequest, slug: str) -> HttpResponse:
    """The public summary, once staff have published it."""
    survey = selectors.survey_by_slug(slug=slug)
    if survey is None:
        return unavailable(request, "unknown")
    try:
        results = selectors.survey_results(survey=survey, user=request.user, public=True)
    except PermissionDenied:
        return unavailable(request, "not_published", survey=survey)
    return render(
        request,
        "surveys/summary.html",
        {"survey": survey, "results": results, "webinars": _series_webinars(survey)},
    )


def _series_webinars(survey: Survey) -> list:
    series = survey.series or (survey.webinar.series if survey.webinar else None)
    return list(webinar_list(series=series)) if series else []


# --- CSV ----------------------------------------------------------------------------------------


def export_results(request: HttpRequest, slug: str) -> HttpResponse:
    """The aggregates as CSV, for whoever may see the results. With ``?question=<number>``, only that
    question's counts (the CSV beside its chart); staff may narrow to ``country`` and ``city`` as on
    the results page."""
    survey = selectors.survey_by_slug(slug=slug)
    if survey is None:
        return unavailable(request, "unknown")
    is_staff = permissions.is_survey_staff(request.user)
    country = city = None
    if is_staff:
        country = Country.objects.filter(iso_code=request.GET.get("country", "")).first()
        city = City.objects.filter(slug=request.GET.get("city", "")).first()
        if not permissions.can_view_result_details(request.user, survey):
            city = None
    try:
        results = selectors.survey_results(
            survey=survey, user=request.user, public=not is_staff, country=country, city=city
        )
    except PermissionDenied:
        return unavailable(request, "not_published", survey=survey)
    question = request.GET.get("question", "")
    if not question:
        return _csv(exports.results_rows(results), filename=f"{survey.slug}-results.csv")
    try:
        rows = exports.question_rows(results, order=int(question))
    except (ValueError, StopIteration):
        return HttpResponseBadRequest(_("No such question in this survey."))
    return _csv(rows, filename=f"{survey.slug}-question-{int(question)}.csv")


def export_answers(request: HttpRequest, slug: str) -> HttpResponse:
    """The raw answers as CSV: staff only; anonymous surveys without names, e-mails or cities."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    survey = selectors.survey_by_slug(slug=slug)
    if survey is None:
        return unavailable(request, "unknown")
    try:
        responses = selectors.answers_for_export(survey=survey, user=request.user)
    except PermissionDenied:
        return unavailable(request, "not_staff", survey=survey)
    rows = exports.answers_rows(survey=survey, questions=survey_questions(survey=survey), responses=responses)
    return _csv(rows, filename=f"{survey.slug}-answers.csv")


def _csv(rows, *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
