"""Reads for invitations: who may be written to, what a sender or an answer page needs, what staff see."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from cities.models import City, Person
from surveys.selectors import people_wanting_training
from travelsouth.text_search import rows_containing

from ..models import Invitation, InvitationSettings, Partnership, TrainingWorkshop

# A person we may write to: consent given and not withdrawn, an address to write to, and a real person:
# placeholder people (reconstructed to reproduce the report's figures) never receive e-mail and are
# never anyone's contact.
CONTACTABLE = (
    Q(contact_consent_given_at__isnull=False, contact_consent_withdrawn_at__isnull=True)
    & ~Q(email="")
    & Q(is_reconstructed=False)
)

# What each kind's e-mail shows, besides the recipient.
_PROPOSAL_CITIES = ("city", "proposal__city_a__country", "proposal__city_b__country")
KIND_RELATIONS = {
    Invitation.Kind.INTRODUCTION: _PROPOSAL_CITIES,
    Invitation.Kind.PARTNERSHIP_FORMED: _PROPOSAL_CITIES,
    Invitation.Kind.PROPOSAL_DECLINED: _PROPOSAL_CITIES,
    Invitation.Kind.CHECK_IN: ("city", "partnership__city_a", "partnership__city_b", "check_in"),
    Invitation.Kind.SURVEY: ("survey_invitee__survey", "survey_invitee__person"),
    Invitation.Kind.TRAINING: ("workshop",),
    Invitation.Kind.MEMBERSHIP_DECISION: ("membership__city", "membership__user"),
    Invitation.Kind.CONSENT_REQUEST: ("city", "proposal__city_a", "proposal__city_b"),
    Invitation.Kind.STAFF_DIGEST: (),
}


def invitation_settings() -> InvitationSettings:
    """Staff's values, or the defaults while staff have not saved any."""
    return InvitationSettings.objects.filter(pk=1).first() or InvitationSettings(pk=1)


def city_contacts(*, city: City) -> QuerySet[Person]:
    """The people of ``city`` who agreed to be contacted and have an address."""
    return Person.objects.filter(CONTACTABLE, city=city).order_by("full_name", "id")


def person_is_contactable(*, person_id: int) -> bool:
    """Read now, from the database: consent is re-checked at the moment of sending."""
    return Person.objects.filter(CONTACTABLE, pk=person_id).exists()


def invitation_for_sending(*, invitation_id: int) -> Invitation | None:
    """The invitation with what its e-mail shows: two small queries, the kind first, then the row with
    only that kind's relations (one query joining every kind's would cost more to build than to run)."""
    kinds = Invitation.objects.filter(pk=invitation_id).values_list("kind", "reminder_of__kind").first()
    if kinds is None:
        return None
    kind, original_kind = kinds
    relations = KIND_RELATIONS[original_kind or kind]
    if original_kind:
        relations = ("reminder_of", *(f"reminder_of__{relation}" for relation in relations))
    return Invitation.objects.select_related("person", *relations).get(pk=invitation_id)


def invitations_for_sending(*, lease_id: str) -> list[Invitation]:
    """The invitations a send holds (its lease), each with what its e-mail shows: one small query for
    the kinds, then one per kind with only that kind's relations."""
    rows = Invitation.objects.filter(lease_id=lease_id, status=Invitation.Status.SENDING).values_list(
        "pk", "kind", "reminder_of__kind"
    )
    ids_by_relations: dict[tuple[str, ...], list[int]] = {}
    for pk, kind, original_kind in rows:
        relations = KIND_RELATIONS[original_kind or kind]
        if original_kind:
            relations = ("reminder_of", *(f"reminder_of__{relation}" for relation in relations))
        ids_by_relations.setdefault(relations, []).append(pk)
    invitations = [
        invitation
        for relations, ids in ids_by_relations.items()
        for invitation in Invitation.objects.select_related("person", *relations).filter(pk__in=ids)
    ]
    return sorted(invitations, key=lambda invitation: invitation.pk)


def invitation_for_answer(*, invitation_id: int) -> Invitation | None:
    return (
        Invitation.objects.select_related(
            "person",
            "city",
            "proposal__city_a",
            "proposal__city_b",
            "partnership__city_a",
            "partnership__city_b",
            "check_in",
        )
        .filter(pk=invitation_id)
        .first()
    )


def person_for_stop_link(*, person_id: int) -> Person | None:
    return Person.objects.filter(pk=person_id).first()


def training_candidates(*, workshop: TrainingWorkshop) -> QuerySet[Person]:
    """Contactable people who answered yes to a survey question asking whether they want training,
    and who are not yet invited to ``workshop``."""
    already_invited = Invitation.objects.filter(
        kind=Invitation.Kind.TRAINING, workshop=workshop, person=OuterRef("pk")
    )
    return people_wanting_training().filter(CONTACTABLE).exclude(Exists(already_invited))


def invitation_admin_list() -> QuerySet[Invitation]:
    """Invitations as the admin lists them: recipient and cause in the same query."""
    return Invitation.objects.select_related(
        "person", "city", "proposal__city_a", "proposal__city_b", "partnership__city_a", "partnership__city_b"
    )


def invitations_matching(*, invitations: QuerySet[Invitation], search: str) -> QuerySet[Invitation]:
    """``invitations`` where each word of ``search`` is in the person's name or e-mail address, the
    city's name (any language) or the last error, as the admin's search reads it: each through its
    table's trigram index (travelsouth/text_search.py), the invitations through their foreign keys."""
    for word in search.split():
        invitations = invitations.filter(
            Q(person__in=rows_containing(Person, word).values("pk"))
            | Q(city__in=rows_containing(City, word).values("pk"))
            | Q(pk__in=rows_containing(Invitation, word).values("pk"))
        )
    return invitations


def answer_outcome(*, invitation: Invitation) -> tuple[Partnership | None, Person | None]:
    """For the answer page of an introduction: the partnership, once both cities accepted, and the
    partner city's contact who accepted (shown only then, as in the "partnership formed" e-mail)."""
    proposal = invitation.proposal
    partnership = Partnership.objects.filter(proposal=proposal).first()
    if partnership is None:
        return None, None
    partner_id = proposal.city_b_id if invitation.city_id == proposal.city_a_id else proposal.city_a_id
    accepted = (
        Invitation.objects.filter(
            proposal=proposal,
            kind=Invitation.Kind.INTRODUCTION,
            proposal_round=proposal.approval_round,
            city_id=partner_id,
            answer=Invitation.Answer.ACCEPTED,
        )
        .select_related("person")
        .first()
    )
    return partnership, accepted.person if accepted else None
