from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .invitations.admin import PartnershipInvitationInline, ProposalInvitationInline
from .models import DevelopmentPriority, Interest, Partnership, Proposal, TimelineEvent
from .services import proposal_approve


@admin.register(DevelopmentPriority)
class DevelopmentPriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "name_es", "name_zh", "slug"]
    autocomplete_fields = ["themes"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["city", "is_current", "source", "is_published", "created_at", "superseded_at"]
    list_filter = ["is_current", "source", "is_published", "city__country"]
    list_select_related = ["city"]
    search_fields = ["city__name", "message", "source_note"]
    autocomplete_fields = [
        "city",
        "priorities",
        "themes_sought",
        "themes_offered",
        "partner_cities",
        "partner_countries",
        "partner_regions",
        "working_languages",
        "survey_response",
    ]
    readonly_fields = ["created_at", "superseded_at", "recorded_by"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "score", "status", "is_triangular", "is_invitable", "created_at"]
    list_filter = ["status", "is_triangular", "is_invitable"]
    list_select_related = ["city_a", "city_b"]
    search_fields = ["city_a__name", "city_b__name"]
    autocomplete_fields = ["city_a", "city_b", "themes"]
    readonly_fields = ["decided_by", "decided_at"]
    inlines = [ProposalInvitationInline]
    actions = ["approve_and_invite"]

    # Minimal version for the invitations branch; the matching branch's admin replaces it at merge
    # and keeps the invitations inline.
    @admin.action(description=_("Approve and invite the cities"), permissions=["change"])
    def approve_and_invite(self, request, queryset):
        for proposal in queryset:
            try:
                proposal_approve(proposal=proposal, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{proposal}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(proposal)s approved; its cities are invited.") % {"proposal": proposal}
                )


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "formed_at"]
    list_filter = ["status"]
    list_select_related = ["city_a", "city_b"]
    search_fields = ["city_a__name", "city_b__name", "outcome_notes"]
    autocomplete_fields = ["proposal", "city_a", "city_b", "themes"]
    inlines = [PartnershipInvitationInline]


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "proposal", "partnership", "actor", "actor_label"]
    list_filter = ["kind"]
    list_select_related = [
        "proposal__city_a",
        "proposal__city_b",
        "partnership__city_a",
        "partnership__city_b",
        "actor",
    ]
    search_fields = ["message", "kind", "actor_label"]
    readonly_fields = ["at", "kind", "proposal", "partnership", "actor", "actor_label", "message", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
