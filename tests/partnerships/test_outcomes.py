"""A partnership's outcomes on its page: agreements (with a PDF only its cities and staff can read),
joint activities, check-ins answered from the dashboard; bad input gets a form error, a double
submission one record."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from partnerships.models import Agreement, CheckIn, JointActivity, TimelineEvent
from tests import factories
from tests.partnerships import timeline_reading

from .invitations import builders

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def partnership(staff_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal, _spanish, _chinese = builders.proposal_with_contacts()
    return builders.formed_partnership(proposal, by=staff_user)


@pytest.fixture
def official(client, partnership):
    account = factories.official(city_=partnership.city_a)
    client.force_login(account)
    return client


def manage(partnership) -> str:
    return f"/partnerships/{partnership.pk}/manage/"


def test_an_official_records_an_agreement_with_its_pdf_once_even_if_posted_twice(official, partnership):
    data = {
        "agreement-kind": "mou",
        "agreement-signed_on": dt.date.today().isoformat(),
        "agreement-title": "MoU",
    }

    first = official.post(
        manage(partnership), {**data, "agreement-document": SimpleUploadedFile("mou.pdf", PDF)}
    )
    again = official.post(
        manage(partnership), {**data, "agreement-document": SimpleUploadedFile("mou.pdf", PDF)}
    )

    assert (first.status_code, again.status_code) == (302, 302)
    [agreement] = Agreement.objects.all()
    assert (agreement.kind, agreement.title, agreement.document.read()) == ("mou", "MoU", PDF)
    assert timeline_reading.of_kind("agreement_recorded") == [
        f"{agreement.recorded_by.get_username()} recorded an agreement: Memorandum of understanding."
    ]


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (SimpleUploadedFile("notes.pdf", b"just text"), "The file is not a PDF document."),
        (
            SimpleUploadedFile("big.pdf", PDF + b"0" * 2_000_000),
            "The file is 2.0 MB; at most 1 MB are accepted.",
        ),
        (SimpleUploadedFile("mou.docx", PDF), "Upload a PDF document."),
    ],
)
def test_a_bad_document_gets_a_form_error_and_nothing_is_saved(
    official, partnership, settings, upload, error
):
    settings.AGREEMENT_MAX_BYTES = 1_000_000

    page = official.post(
        manage(partnership),
        {
            "agreement-kind": "mou",
            "agreement-signed_on": dt.date.today().isoformat(),
            "agreement-document": upload,
        },
    )

    assert page.status_code == 400
    assert page.context["agreement_form"].errors == {"document": [error]}
    assert not Agreement.objects.exists()


def test_an_agreement_signed_in_the_future_or_an_activity_ending_before_it_starts_is_refused(
    official, partnership
):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()

    agreement = official.post(manage(partnership), {"agreement-kind": "mou", "agreement-signed_on": tomorrow})
    activity = official.post(
        manage(partnership),
        {
            "activity-title": "Visit",
            "activity-kind": "exchange_visit",
            "activity-status": "planned",
            "activity-starts_on": "2026-05-10",
            "activity-ends_on": "2026-05-01",
        },
    )

    assert agreement.context["agreement_form"].errors == {
        "signed_on": ["An agreement is recorded once it is signed: not in the future."]
    }
    assert activity.context["activity_form"].errors == {
        "ends_on": ["The activity cannot end before it starts."]
    }
    assert not Agreement.objects.exists() and not JointActivity.objects.exists()


def test_only_the_two_cities_officials_and_staff_can_download_the_document(partnership, staff_client):
    from partnerships.outcomes import agreement_record

    agreement = agreement_record(
        partnership=partnership,
        kind="mou",
        signed_on=dt.date.today(),
        by=None,
        document=SimpleUploadedFile("mou.pdf", PDF),
    )
    url = f"/partnerships/{partnership.pk}/agreements/{agreement.pk}/document/"
    officials = Client()
    officials.force_login(factories.official(city_=partnership.city_b))
    outsider = Client()
    outsider.force_login(factories.official(city_=factories.city(name="Lima")))

    downloads = [officials.get(url), staff_client.get(url)]

    assert [(response.status_code, b"".join(response.streaming_content)) for response in downloads] == [
        (200, PDF),
        (200, PDF),
    ]
    assert downloads[0]["Content-Disposition"].startswith("attachment;")
    assert downloads[0]["Cache-Control"] == "private, no-store"
    assert outsider.get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to log in
    assert outsider.get(f"/partnerships/{partnership.pk}/manage/").status_code == 403


def test_an_official_answers_the_citys_due_check_in_from_the_page_once_for_the_city(official, partnership):
    check_in = CheckIn.objects.get(partnership=partnership, city=partnership.city_a, after_days=30)
    CheckIn.objects.filter(pk=check_in.pk).update(due_at=check_in.due_at - dt.timedelta(days=31))
    colleague = Client()
    colleague.force_login(factories.official(city_=partnership.city_a))
    url = f"/partnerships/{partnership.pk}/check-ins/{check_in.pk}/"
    prefix = f"check-in-{check_in.pk}"

    page = official.get(manage(partnership)).content.decode()
    official.post(url, {f"{prefix}-still_active": "no", f"{prefix}-what_happened": "No budget this year."})
    late = colleague.post(url, {f"{prefix}-still_active": "yes"}, follow=True)

    assert 'name="check-in-' in page
    check_in.refresh_from_db()
    assert (check_in.still_active, check_in.what_happened) == (False, "No budget this year.")
    assert [str(message) for message in late.context["messages"]] == [
        "A colleague already answered this check-in for your city."
    ]
    assert TimelineEvent.objects.filter(kind="check_in").count() == 1
    # The other city's check-ins are not this official's to answer.
    other = CheckIn.objects.get(partnership=partnership, city=partnership.city_b, after_days=30)
    assert official.post(f"/partnerships/{partnership.pk}/check-ins/{other.pk}/", {}).status_code == 404


def test_the_dashboard_lists_the_officials_partnerships_with_the_next_check_in(official, partnership):
    page = official.get("/officials/").content.decode()

    assert f"/partnerships/{partnership.pk}/manage/" in page
    assert "Morelia and Luoyang" in page
