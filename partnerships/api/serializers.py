from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cities.api.serializers import ThemeRefSerializer
from travelsouth.api.serializers import LinkField


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


class PartnershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("partnership", source="*")
    city_a = serializers.SerializerMethodField()
    city_b = serializers.SerializerMethodField()
    status = serializers.CharField()
    formed_at = serializers.DateTimeField()
    themes = serializers.SerializerMethodField()
    joint_activities = serializers.CharField()

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
    themes = serializers.SerializerMethodField()
    is_triangular = serializers.BooleanField()
    is_invitable = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()
    partnership = serializers.SerializerMethodField(help_text=_("The partnership it became, if any."))

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
