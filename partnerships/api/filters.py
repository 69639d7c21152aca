from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from travelsouth.api.filters import (
    ISO_COUNTRY,
    SLUG,
    ApiFilterSet,
    BooleanFilter,
    ChoiceFilter,
    CodeFilter,
    IntegerFilter,
)

from ..models import Invitation, Partnership, Proposal


class _PairFilter(ApiFilterSet):
    """Filters that look at both cities of a pair."""

    city = IntegerFilter(method="filter_city", help_text=_("Either city's id."))
    country = CodeFilter(
        method="filter_country",
        pattern=ISO_COUNTRY,
        max_length=2,
        help_text=_("Either city's ISO 3166 code."),
    )
    theme = CodeFilter(
        field_name="themes__slug", pattern=SLUG, max_length=60, distinct=True, help_text=_("Theme slug.")
    )

    def filter_city(self, queryset, name, value):
        return queryset.filter(Q(city_a_id=value) | Q(city_b_id=value))

    def filter_country(self, queryset, name, value):
        return queryset.filter(
            Q(city_a__country__iso_code__iexact=value) | Q(city_b__country__iso_code__iexact=value)
        )


class PartnershipFilter(_PairFilter):
    status = ChoiceFilter(choices=Partnership.Status.choices)
    year = IntegerFilter(
        field_name="formed_at__year", minimum=1900, maximum=2100, help_text=_("Year formed.")
    )

    class Meta:
        model = Partnership
        fields = []


class ProposalFilter(_PairFilter):
    status = ChoiceFilter(choices=Proposal.Status.choices)
    triangular = BooleanFilter(
        field_name="is_triangular", help_text=_("One partner is outside the global South.")
    )
    invitable = BooleanFilter(field_name="is_invitable")

    class Meta:
        model = Proposal
        fields = []


class InvitationFilter(ApiFilterSet):
    kind = ChoiceFilter(choices=Invitation.Kind.choices)
    status = ChoiceFilter(choices=Invitation.Status.choices)
    proposal = IntegerFilter(field_name="proposal_id", help_text=_("The proposal's id."))
    city = IntegerFilter(field_name="city_id", help_text=_("The recipient's city's id."))

    class Meta:
        model = Invitation
        fields = []
