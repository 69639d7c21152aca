"""Writes for what a partnership brings about: the agreements its cities sign, their joint activities,
and their answers to the check-ins.

The doors (the officials' partnership page, the check-in link, the admin) check who may act with
``partnerships.permissions.can_manage_partnership``; these functions enforce the domain's rules. Each
write lands in the partnership's timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import Person, SustainableDevelopmentGoal, Theme

from .invitations.services import InvitationClosed, introductions_close, invitation_answer_record
from .models import Agreement, CheckIn, Invitation, JointActivity, Partnership, TimelineEvent
from .timeline import timeline_record

PDF_MAGIC = b"%PDF-"


def _check_pdf(document: UploadedFile | None) -> None:
    if not document:
        return
    limit = settings.AGREEMENT_MAX_BYTES
    if document.size > limit:
        raise ValidationError(
            {
                "document": _("The file is %(size)s MB; at most %(limit)s MB are accepted.")
                % {"size": f"{document.size / 1_000_000:.1f}", "limit": f"{limit / 1_000_000:g}"}
            },
            code="too_large",
        )
    document.seek(0)
    head = document.read(len(PDF_MAGIC))
    document.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError({"document": _("The file is not a PDF document.")}, code="not_pdf")


@transaction.atomic
def agreement_record(
    *,
    partnership: Partnership,
    kind: str,
    signed_on: dt.date,
    by: AbstractBaseUser | None,
    title: str = "",
    document: UploadedFile | None = None,
) -> Agreement:
    """Record an agreement the two cities signed, with its PDF if given (a PDF of at most
    AGREEMENT_MAX_BYTES, stored through Django's storage). Recording the same kind and date twice
    (a double submission) gives the agreement already recorded.

    Side effects: a timeline entry in ``by``'s name.
    """
    _check_pdf(document)
    existing = Agreement.objects.filter(partnership=partnership, kind=kind, signed_on=signed_on).first()
    if existing is not None:
        return existing
    if signed_on < partnership.formed_at.date() - dt.timedelta(days=366 * 5):
        raise ValidationError({"signed_on": _("This date is long before the partnership formed.")})
    if signed_on > timezone.localdate():
        raise ValidationError(
            {"signed_on": _("An agreement is recorded once it is signed: not in the future.")}
        )
    agreement = Agreement(
        partnership=partnership, kind=kind, signed_on=signed_on, title=title.strip(), recorded_by=by
    )
    agreement.full_clean(exclude=["partnership", "recorded_by", "document"])
    if document:
        agreement.document.save("agreement.pdf", document, save=False)
    agreement.save()
    timeline_record(
        partnership=partnership,
        kind=TimelineEvent.Kind.AGREEMENT_RECORDED,
        by=by,
        data={"agreement": agreement.pk, "kind": kind},
    )
    return agreement


@transaction.atomic
def activity_record(
    *,
    partnership: Partnership,
    title: str,
    kind: str,
    starts_on: dt.date,
    by: AbstractBaseUser | None,
    ends_on: dt.date | None = None,
    status: str = JointActivity.Status.PLANNED,
    description: str = "",
    themes: Iterable[Theme] = (),
    sdgs: Iterable[SustainableDevelopmentGoal] = (),
) -> JointActivity:
    """Record a joint activity of the two cities. The same title and start date twice (a double
    submission) gives the activity already recorded.

    Side effects: a timeline entry in ``by``'s name.
    """
    title = title.strip()
    existing = JointActivity.objects.filter(partnership=partnership, title=title, starts_on=starts_on).first()
    if existing is not None:
        return existing
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The activity cannot end before it starts.")}, code="order")
    activity = JointActivity(
        partnership=partnership,
        title=title,
        kind=kind,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
        recorded_by=by,
    )
    activity.full_clean(exclude=["partnership", "recorded_by"])
    activity.save()
    activity.themes.set(themes)
    activity.sdgs.set(sdgs)
    timeline_record(
        partnership=partnership,
        kind=TimelineEvent.Kind.ACTIVITY_RECORDED,
        by=by,
        data={"activity": activity.pk, "title": title},
    )
    return activity


@transaction.atomic
def activity_status_update(
    *, activity: JointActivity, status: str, by: AbstractBaseUser | None
) -> JointActivity:
    """Move a joint activity to ``status`` (planned, under way, done, cancelled)."""
    if status not in JointActivity.Status.values:
        raise ValidationError({"status": _("Not a status of a joint activity.")})
    JointActivity.objects.filter(pk=activity.pk).update(status=status, updated_at=timezone.now())
    activity.refresh_from_db()
    return activity


@transaction.atomic
def check_in_answer(
    *,
    check_in: CheckIn,
    person: Person,
    still_active: bool,
    what_happened: str = "",
    help_needed: str = "",
    invitation: Invitation | None = None,
) -> CheckIn:
    """``person``, one of the city's officials or contacts, answers the city's check-in (once for the
    city: a colleague who answers later is told it is done). ``invitation`` is the e-mail whose link
    they followed, if any.

    Raises InvitationClosed("city_answered") when the city already answered. Side effects: the e-mails
    asking this check-in are closed (answered for the one followed, a colleague answered for the
    others, reminders cancelled); a timeline entry on the partnership.
    """
    now = timezone.now()
    check_in = CheckIn.objects.select_for_update().select_related("partnership").get(pk=check_in.pk)
    if check_in.is_answered:
        raise InvitationClosed(Invitation.CloseReason.CITY_ANSWERED)
    check_in.answered_at = now
    check_in.answered_by = person
    check_in.still_active = still_active
    check_in.what_happened = what_happened.strip()
    check_in.help_needed = help_needed.strip()
    check_in.full_clean(exclude=["partnership", "city", "answered_by"])
    check_in.save()
    report = {
        "still_active": still_active,
        "what_happened": check_in.what_happened,
        "help_needed": check_in.help_needed,
    }
    if invitation is not None:
        invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
        invitation_answer_record(invitation, answer=Invitation.Answer.REPORTED, data=report, now=now)
    others = check_in.invitations.exclude(pk=invitation.pk if invitation else None)
    introductions_close(others, reason=Invitation.CloseReason.CITY_ANSWERED, now=now)
    timeline_record(
        partnership=check_in.partnership,
        kind=TimelineEvent.Kind.CHECK_IN,
        person=person.full_name,
        at=now,
        data={**report, "check_in": check_in.pk, "after_days": check_in.after_days, "city": check_in.city_id},
    )
    return check_in
