"""The survey pages end to end: personal links, officials answering, results, summary and CSV."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cities.models import CityMembership, Person
from surveys.links import personal_link_token, personal_link_url
from surveys.models import Answer, Response, ResponseRevision
from surveys.services import response_submit
from tests import factories

from .builders import approve_official, build_survey, invite

pytestmark = pytest.mark.django_db


def link_path(invitee) -> str:
    return personal_link_url(invitee=invitee).removeprefix("http://127.0.0.1:8000")


def form_data(kit, **overrides) -> dict:
    """What a browser posts for kit.answers(): field names question_<id>, yes/no as "yes"/"no"."""
    data = {}
    for question_id, value in kit.answers(**overrides).items():
        if isinstance(value, bool):
            value = "yes" if value else "no"
        data[f"question_{question_id}"] = value
    return data


def text_of(page) -> str:
    return page.content.decode()


def csv_rows(export) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))


# --- answering through a personal link ----------------------------------------------------------


def test_personal_link_shows_the_form_in_the_invitee_language(client, kit):
    invitee = invite(kit.survey, language="es", city=factories.city(name="Morelia"))

    page = client.get(link_path(invitee))

    assert page.status_code == 200
    assert link_path(invitee).startswith("/es/surveys/answer/")
    assert "Después del webinar" in text_of(page)
    assert "1. ¿Pregunta sobre satisfied?" in text_of(page)
    assert "Turismo" in text_of(page)
    assert [field.label for field in page.context["form"].question_fields][:2] == [
        "1. ¿Pregunta sobre satisfied?",
        "2. ¿Pregunta sobre consent?",
    ]


def test_personal_link_in_chinese(client, kit):
    invitee = invite(kit.survey, language="zh-hans")

    page = client.get(link_path(invitee))

    assert "研讨会之后" in text_of(page)
    assert "1. 关于satisfied的问题" in text_of(page)


def test_submitting_through_the_link_records_the_response_for_the_invitee_city(client, kit):
    morelia = factories.city(name="Morelia")
    invitee = invite(kit.survey, language="es", city=morelia)

    posted = client.post(link_path(invitee), form_data(kit))
    again = client.get(link_path(invitee))

    response = Response.objects.get()
    assert posted.status_code == 302
    assert posted["Location"] == link_path(invitee)
    assert (response.respondent, response.city, response.language) == (invitee.person, morelia, "es")
    assert Answer.objects.filter(response=response).count() == 8
    assert "Gracias" in text_of(again) or "Thank you" in text_of(again)
    assert again.context["form"].initial[f"question_{kit.q('priorities')}"] == [
        kit.o("Tourism"),
        kit.o("Transport"),
    ]
    assert again.context["response"] == response


def test_submitting_again_through_the_link_updates_and_keeps_history(client, kit):
    invitee = invite(kit.survey)
    client.post(link_path(invitee), form_data(kit))

    client.post(link_path(invitee), form_data(kit, satisfied=False))

    assert Response.objects.count() == 1
    assert Answer.objects.get(question=kit.questions["satisfied"]).yes is False
    assert ResponseRevision.objects.count() == 1


def test_missing_required_answer_is_shown_next_to_the_question_and_nothing_is_stored(client, kit):
    invitee = invite(kit.survey, language="en")

    page = client.post(
        link_path(invitee), form_data(kit, satisfied=None, chinese=False, cities=None, areas="x")
    )

    assert page.status_code == 200
    assert page.context["form"].errors == {
        f"question_{kit.q('satisfied')}": ["This question needs an answer."],
        f"question_{kit.q('areas')}": ["Answer this question only after answering yes to question 4."],
    }
    assert "Your answers were not recorded." in text_of(page)
    assert (Response.objects.count(), Answer.objects.count()) == (0, 0)


def test_an_option_that_does_not_belong_to_the_question_is_refused(client, kit):
    invitee = invite(kit.survey, language="en")

    page = client.post(
        link_path(invitee), {**form_data(kit), f"question_{kit.q('priorities')}": [kit.o("Luoyang")]}
    )

    assert list(page.context["form"].errors) == [f"question_{kit.q('priorities')}"]
    assert Response.objects.count() == 0


def test_closed_survey_link_says_so_and_refuses_a_late_submission(client, db):
    now = timezone.now()
    kit = build_survey(opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=1))
    invitee = invite(kit.survey, language="en")
    response_submit(
        survey=kit.survey,
        respondent=invitee.person,
        city=None,
        answers=kit.answers(),
        language="en",
        at=now - dt.timedelta(days=2),
    )

    page = client.get(link_path(invitee))
    late = client.post(link_path(invitee), form_data(kit, satisfied=False))

    assert page.status_code == late.status_code == 200
    assert "This survey closed on" in text_of(page)
    assert "Answers can no longer be given or changed." in text_of(late)
    assert "were recorded. Thank you." in text_of(late)
    assert Answer.objects.get(question=kit.questions["satisfied"]).yes is True
    assert ResponseRevision.objects.count() == 0


def test_survey_not_open_yet_says_when_it_opens(client, db):
    now = timezone.now()
    kit = build_survey(opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9))

    page = client.get(link_path(invite(kit.survey, language="en")))

    assert page.status_code == 200
    assert "This survey is not open yet. It opens on" in text_of(page)


def test_tampered_link_gives_a_clear_page(client, kit):
    token = personal_link_token(invitee=invite(kit.survey))

    page = client.get(reverse("surveys:answer", args=[token[:-4] + "abcd"]))

    assert page.status_code == 400
    assert "This survey link is not valid" in text_of(page)
    assert Response.objects.count() == 0


def test_expired_link_gives_a_clear_page(client, db):
    now = timezone.now()
    kit = build_survey(opens_at=now - dt.timedelta(days=400), closes_at=now - dt.timedelta(days=300))

    page = client.get(link_path(invite(kit.survey, language="en")))

    assert page.status_code == 410
    assert "This survey link has expired" in text_of(page)


def test_survey_being_prepared_cannot_be_answered_yet(client, kit):
    kit.questions["format"].options.all().delete()

    page = client.get(link_path(invite(kit.survey, language="en")))

    assert "This survey is being prepared" in text_of(page)


# --- officials answering for their city ---------------------------------------------------------


def test_official_answers_for_their_city(client, kit, django_user_model):
    morelia = factories.city(name="Morelia")
    user = django_user_model.objects.create_user(username="ana", email="ana@morelia.example", password="x")
    approve_official(user, morelia)
    client.force_login(user)
    url = reverse("surveys:answer_for_city", args=[kit.survey.slug])

    page = client.get(url)
    posted = client.post(url, {**form_data(kit), "city": morelia.pk})

    assert page.status_code == 200
    assert list(page.context["form"].fields["city"].queryset) == [morelia]
    assert posted.status_code == 302
    response = Response.objects.get()
    assert (response.city, response.respondent.user, response.respondent.email) == (
        morelia,
        user,
        "ana@morelia.example",
    )


def test_official_cannot_answer_for_another_city(client, kit, django_user_model):
    morelia, puebla = factories.city(name="Morelia"), factories.city(name="Puebla")
    user = django_user_model.objects.create_user(username="ana", password="x")
    approve_official(user, morelia)
    client.force_login(user)

    page = client.post(
        reverse("surveys:answer_for_city", args=[kit.survey.slug]), {**form_data(kit), "city": puebla.pk}
    )

    assert list(page.context["form"].errors) == ["city"]
    assert Response.objects.count() == 0


def test_user_who_is_not_an_approved_official_is_told_how_to_become_one(client, kit, django_user_model):
    user = django_user_model.objects.create_user(username="ana", password="x")
    CityMembership.objects.create(user=user, city=factories.city(), status=CityMembership.Status.PENDING)
    client.force_login(user)

    page = client.get(reverse("surveys:answer_for_city", args=[kit.survey.slug]))

    assert page.status_code == 403
    assert "Only approved officials of a city can answer this survey for it." in text_of(page)


def test_answer_page_sends_anonymous_visitors_to_login(client, kit):
    page = client.get(reverse("surveys:answer_for_city", args=[kit.survey.slug]))

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_login"))


def test_unknown_survey_gives_a_clear_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="ana", password="x"))

    pages = [
        client.get(reverse(name, args=["no-such-survey"]))
        for name in ("surveys:answer_for_city", "surveys:summary", "surveys:export_results")
    ]

    assert [page.status_code for page in pages] == [404, 404, 404]
    assert all("There is no survey at this address." in text_of(page) for page in pages)


# --- results, summary, CSV ----------------------------------------------------------------------


def answered(kit, count: int, **overrides) -> None:
    for number in range(count):
        response_submit(
            survey=kit.survey,
            respondent=factories.person(email=f"respondent-{number}@city.example"),
            city=factories.city(name=f"City {number}"),
            answers=kit.answers(**overrides),
            language="en",
        )


def test_results_page_is_for_staff(client, kit, django_user_model):
    answered(kit, 1)
    client.force_login(django_user_model.objects.create_user(username="ana", password="x"))

    page = client.get(reverse("surveys:results", args=[kit.survey.slug]))

    assert page.status_code == 403
    assert "Only UNOSSC staff can see these results." in text_of(page)


def test_staff_results_page_has_charts_with_tables_breakdowns_and_free_text(staff_client, kit):
    answered(kit, 2, areas="Tourism and trade")

    page = staff_client.get(reverse("surveys:results", args=[kit.survey.slug]))

    text = text_of(page)
    assert page.status_code == 200
    assert '<figure class="chart" aria-labelledby="chart-1-caption">' in text
    assert '<tr><th scope="row">Luoyang</th><td class="num">2</td><td class="num">100%</td></tr>' in text
    assert '<tr><th scope="row">Tourism</th><td class="num">2</td><td class="num">100%</td></tr>' in text
    assert "<q>Tourism and trade</q>" in text
    assert '<a href="?city=' in text
    assert "Webinar 1" in text  # the series' views chart


def test_staff_results_page_filters_by_country(staff_client, kit):
    answered(kit, 2)
    brazil = factories.country(iso_code="BR", name="Brazil")
    response_submit(
        survey=kit.survey,
        respondent=factories.person(),
        city=factories.city(country_=brazil),
        answers=kit.answers(),
        language="en",
    )

    page = staff_client.get(reverse("surveys:results", args=[kit.survey.slug]), {"country": "BR"})

    assert page.context["results"].response_count == 1
    assert page.context["full_results"].response_count == 3


@pytest.mark.parametrize("response_count", [1, 15])
def test_results_page_queries_do_not_grow_with_responses(
    staff_client, kit, django_assert_max_num_queries, response_count
):
    answered(kit, response_count)

    with django_assert_max_num_queries(14):
        page = staff_client.get(reverse("surveys:results", args=[kit.survey.slug]))

    assert page.context["results"].response_count == response_count


@pytest.mark.parametrize("response_count", [1, 15])
def test_summary_page_queries_do_not_grow_with_responses(
    client, db, django_assert_max_num_queries, response_count
):
    kit = build_survey(results_published=True)
    answered(kit, response_count)

    with django_assert_max_num_queries(9):
        page = client.get(reverse("surveys:summary", args=[kit.survey.slug]))

    assert page.context["results"].response_count == response_count


def test_unpublished_summary_is_not_shown(client, kit):
    answered(kit, 1)

    page = client.get(reverse("surveys:summary", args=[kit.survey.slug]))

    assert page.status_code == 404
    assert "The results of this survey have not been published." in text_of(page)


def test_raw_answers_csv_is_for_staff_only(client, kit, django_user_model):
    answered(kit, 1)
    client.force_login(django_user_model.objects.create_user(username="ana", password="x"))

    page = client.get(reverse("surveys:export_answers", args=[kit.survey.slug]))

    assert page.status_code == 403
    assert "respondent-0@city.example" not in text_of(page)


def test_raw_answers_csv_of_an_anonymous_survey_has_no_names_emails_or_cities(staff_client, db):
    kit = build_survey(is_anonymous=True)
    answered(kit, 2, areas='=HYPERLINK("http://evil")')

    rows = csv_rows(staff_client.get(reverse("surveys:export_answers", args=[kit.survey.slug])))

    flat = " ".join(" ".join(row) for row in rows)
    assert rows[0][0] == "1. Question about satisfied?"
    assert len(rows) == 3
    assert all(len(row) == 8 for row in rows)
    assert "respondent-" not in flat
    assert "City 0" not in flat
    assert rows[1][5] == '\'=HYPERLINK("http://evil")'


def test_aggregates_csv_follows_the_published_results(client, db):
    kit = build_survey(results_published=True)
    answered(kit, 3, satisfied=False)

    rows = csv_rows(client.get(reverse("surveys:export_results", args=[kit.survey.slug])))

    assert ["Answers", "1. Question about satisfied?", "No", "3", "100"] in rows
    assert not any(row[0] == "By city" for row in rows)


@pytest.mark.parametrize("survey_count", [1, 8])
def test_survey_list_page_queries_do_not_grow_with_surveys(
    client, db, django_assert_max_num_queries, survey_count
):
    for number in range(survey_count):
        build_survey(slug=f"survey-{number}", results_published=True)

    with django_assert_max_num_queries(4):
        page = client.get(reverse("surveys:list"))

    assert len(page.context["surveys"]) == survey_count
    assert text_of(page).count("Results</a>") == survey_count


def test_respondent_person_is_reused_for_a_second_survey(client, kit, django_user_model):
    other = build_survey(slug="second")
    morelia = factories.city(name="Morelia")
    user = django_user_model.objects.create_user(username="ana", password="x")
    approve_official(user, morelia)
    client.force_login(user)

    for survey_kit in (kit, other):
        client.post(
            reverse("surveys:answer_for_city", args=[survey_kit.survey.slug]),
            {**form_data(survey_kit), "city": morelia.pk},
        )

    assert Person.objects.filter(user=user).count() == 1
    assert Response.objects.filter(respondent__user=user).count() == 2
