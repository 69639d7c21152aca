from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from travelsouth.api.permissions import staff_permission
from travelsouth.api.views import ResourceViewSet

from .. import selectors
from ..matching.explanations import explain_reasons
from . import filters, serializers


@extend_schema_view(
    list=extend_schema(
        summary=_("Partnerships formed"), description=_("Pairs of cities that both accepted.")
    ),
    retrieve=extend_schema(summary=_("A partnership")),
)
class PartnershipViewSet(ResourceViewSet):
    list_serializer_class = detail_serializer_class = serializers.PartnershipSerializer
    filterset_class = filters.PartnershipFilter
    ordering_choices = {
        "-formed_at": ("-formed_at", "-id"),
        "formed_at": ("formed_at", "id"),
        "id": ("id",),
        "-id": ("-id",),
    }
    default_ordering = "-formed_at"

    def get_queryset(self):
        return selectors.api_partnership_list()


@extend_schema_view(
    list=extend_schema(summary=_("Partnership proposals (staff only)")),
    retrieve=extend_schema(summary=_("A partnership proposal (staff only)")),
)
class ProposalViewSet(ResourceViewSet):
    permission_classes = [staff_permission("partnerships.view_proposal")]
    list_serializer_class = detail_serializer_class = serializers.ProposalSerializer
    filterset_class = filters.ProposalFilter
    ordering_choices = {
        "-score": ("-score", "-id"),
        "score": ("score", "id"),
        "id": ("id",),
        "-id": ("-id",),
    }
    default_ordering = "-score"

    def get_queryset(self):
        return selectors.api_proposal_list(user=self.request.user)

    def complete_rows(self, rows: list) -> list:
        # The page's reasons as sentences, in a constant number of queries for the whole page.
        for proposal, explained in zip(
            rows, explain_reasons([proposal.reasons for proposal in rows]), strict=True
        ):
            proposal.explained = explained
        return rows


@extend_schema_view(
    list=extend_schema(summary=_("Invitation e-mails and their outcome (staff only)")),
    retrieve=extend_schema(summary=_("An invitation (staff only)")),
)
class InvitationViewSet(ResourceViewSet):
    permission_classes = [staff_permission("partnerships.view_invitation")]
    list_serializer_class = detail_serializer_class = serializers.InvitationSerializer
    filterset_class = filters.InvitationFilter
    ordering_choices = {
        "-due_at": ("-due_at", "-id"),
        "due_at": ("due_at", "id"),
        "id": ("id",),
        "-id": ("-id",),
    }
    default_ordering = "-due_at"

    def get_queryset(self):
        return selectors.api_invitation_list(user=self.request.user)
