from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cities.api.serializers import ThemeRefSerializer
from travelsouth.api.serializers import LinkField

from ..matching.explanations import explain_reasons


class PairCitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    name = serializers.CharField()
    country = serializers.CharField(help_text=_("ISO 3166 code."))


def _pair_city(links, city) -> dict:
    return {
        "id": city.pk,
        "url": links.detail("city", city.pk),
        "name": city.name,
        "country": city.country.iso_code,
    }


def _themes(links, themes) -> list[dict]:
    return [
        {"id": theme.pk, "url": links.detail("theme", theme.pk), "slug": theme.slug, "name": theme.name}
        for theme in sorted(themes, key=lambda theme: theme.name)
    ]


class AgreementSerializer(serializers.Serializer):
    kind = serializers.CharField()
    signed_on = serializers.DateField()


class ActivitySerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)


class ExplainedReasonSerializer(serializers.Serializer):
    kind = serializers.CharField()
    weight = serializers.FloatField()
    text = serializers.CharField(help_text=_("The reason as a sentence, in the requested language."))
    reconstructed = serializers.BooleanField(
        help_text=_("True when the reason rests on data the report does not state (reconstructed records).")
    )


class PartnershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("partnership", source="*")
    city_a = serializers.SerializerMethodField()
    city_b = serializers.SerializerMethodField()
    status = serializers.CharField()
    formed_at = serializers.DateTimeField()
    themes = serializers.SerializerMethodField()
    agreements = serializers.SerializerMethodField(help_text=_("Kinds of agreement signed, and when."))
    activities = serializers.SerializerMethodField(help_text=_("Joint activities of the two cities."))

    def get_agreements(self, partnership) -> AgreementSerializer(many=True):
        return [
            {"kind": agreement.kind, "signed_on": agreement.signed_on}
            for agreement in partnership.agreements.all()
        ]

    def get_activities(self, partnership) -> ActivitySerializer(many=True):
        return [
            {
                "title": activity.title,
                "kind": activity.kind,
                "status": activity.status,
                "starts_on": activity.starts_on,
                "ends_on": activity.ends_on,
            }
            for activity in partnership.activities.all()
        ]

    def get_city_a(self, partnership) -> PairCitySerializer:
        return _pair_city(self.context["links"], partnership.city_a)

    def get_city_b(self, partnership) -> PairCitySerializer:
        return _pair_city(self.context["links"], partnership.city_b)

    def get_themes(self, partnership) -> ThemeRefSerializer(many=True):
        return _themes(self.context["links"], partnership.themes.all())


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("proposal", source="*")
    city_a = serializers.SerializerMethodField()
    city_b = serializers.SerializerMethodField()
    status = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.JSONField(help_text=_("Structured reasons: kind, weight and evidence."))
    explained = serializers.SerializerMethodField(help_text=_("The reasons as sentences, strongest first."))
    themes = serializers.SerializerMethodField()
    is_triangular = serializers.BooleanField()
    is_invitable = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()
    partnership = serializers.SerializerMethodField(help_text=_("The partnership it became, if any."))

    def get_explained(self, proposal) -> ExplainedReasonSerializer(many=True):
        explained = getattr(proposal, "explained", None)
        if explained is None:  # a single proposal: explained on its own
            explained = explain_reasons([proposal.reasons])[0]
        return [
            {
                "kind": reason.kind,
                "weight": reason.weight,
                "text": reason.text,
                "reconstructed": reason.reconstructed,
            }
            for reason in explained
        ]

    def get_city_a(self, proposal) -> PairCitySerializer:
        return _pair_city(self.context["links"], proposal.city_a)

    def get_city_b(self, proposal) -> PairCitySerializer:
        return _pair_city(self.context["links"], proposal.city_b)

    def get_themes(self, proposal) -> ThemeRefSerializer(many=True):
        return _themes(self.context["links"], proposal.themes.all())

    def get_partnership(self, proposal) -> str | None:
        partnership = getattr(proposal, "partnership", None)
        return self.context["links"].detail("partnership", partnership.pk) if partnership else None


class InvitationSerializer(serializers.Serializer):
    """An invitation e-mail and its outcome. The recipient's address is never shown, even to staff."""

    id = serializers.IntegerField()
    url = LinkField("invitation", source="*")
    kind = serializers.CharField()
    status = serializers.CharField()
    recipient = serializers.CharField(source="person.full_name")
    language = serializers.CharField(source="person.preferred_language")
    city = serializers.SerializerMethodField()
    proposal = serializers.SerializerMethodField()
    partnership = serializers.SerializerMethodField()
    due_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    attempts = serializers.IntegerField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(PairCitySerializer(allow_null=True))
    def get_city(self, invitation) -> dict | None:
        return _pair_city(self.context["links"], invitation.city) if invitation.city_id else None

    def get_proposal(self, invitation) -> str | None:
        return (
            self.context["links"].detail("proposal", invitation.proposal_id)
            if invitation.proposal_id
            else None
        )

    def get_partnership(self, invitation) -> str | None:
        if not invitation.partnership_id:
            return None
        return self.context["links"].detail("partnership", invitation.partnership_id)
