"""Admin for invitations: what was sent to whom, what failed and why, and the staff actions on them."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Invitation, InvitationSettings, TrainingWorkshop
from .selectors import invitation_admin_list
from .services import invitation_cancel, invitation_resend, training_invitations_create

INVITATION_FIELDS = [
    "kind",
    "status",
    "person",
    "sent_to",
    "city",
    "proposal",
    "partnership",
    "survey_invitee",
    "workshop",
    "reminder_of",
    "reminder_number",
    "check_in_after_days",
    "due_at",
    "last_queued_at",
    "attempts",
    "lease_id",
    "lease_expires_at",
    "handed_over_at",
    "sent_at",
    "last_error",
    "answer",
    "answered_at",
    "answer_note",
    "answer_data",
    "closed_reason",
    "created_by",
    "created_at",
    "updated_at",
]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "person",
        "city",
        "status",
        "attempts",
        "due_at",
        "sent_at",
        "answer",
        "short_error",
    ]
    list_filter = ["status", "kind", "answer", "closed_reason", "person__preferred_language"]
    search_fields = ["person__full_name", "person__email", "city__name", "last_error"]
    date_hierarchy = "created_at"
    fields = INVITATION_FIELDS
    readonly_fields = INVITATION_FIELDS
    actions = ["resend", "cancel"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Invitation]:
        return invitation_admin_list()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("last error"))
    def short_error(self, invitation: Invitation) -> str:
        return Truncator(invitation.last_error).chars(80)

    @admin.action(description=_("Send again (failed or cancelled only)"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        resent = sum(invitation_resend(invitation=invitation, by=request.user) for invitation in queryset)
        skipped = queryset.count() - resent
        self.message_user(
            request,
            ngettext("%(count)d invitation queued again.", "%(count)d invitations queued again.", resent)
            % {"count": resent},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d was not failed or cancelled and was left as it is.",
                    "%(count)d were not failed or cancelled and were left as they are.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Cancel (if not yet sent)"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        cancelled = sum(invitation_cancel(invitation=invitation, by=request.user) for invitation in queryset)
        self.message_user(
            request,
            ngettext("%(count)d invitation cancelled.", "%(count)d invitations cancelled.", cancelled)
            % {"count": cancelled},
            messages.SUCCESS,
        )


class InvitationInline(admin.TabularInline):
    """Who was written to about a proposal or partnership, and who answered."""

    model = Invitation
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["kind", "person", "city", "status", "sent_at", "answer", "answered_at", "answer_note"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Invitation]:
        return super().get_queryset(request).select_related("person", "city")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ProposalInvitationInline(InvitationInline):
    fk_name = "proposal"
    verbose_name_plural = _("invitations: who was invited and who answered")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Invitation]:
        return super().get_queryset(request).order_by("created_at", "id")


class PartnershipInvitationInline(InvitationInline):
    fk_name = "partnership"
    verbose_name_plural = _("notices and check-ins")


@admin.register(InvitationSettings)
class InvitationSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "reminder_after_days",
        "max_reminders",
        "expire_after_days",
        "answer_link_valid_days",
        "first_check_in_days",
        "second_check_in_days",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not InvitationSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(TrainingWorkshop)
class TrainingWorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "location", "created_at"]
    search_fields = ["title", "title_es", "title_zh", "description"]
    date_hierarchy = "starts_at"
    actions = ["invite_interested"]

    @admin.action(description=_("Invite everyone who asked for training workshops"), permissions=["change"])
    def invite_interested(self, request: HttpRequest, queryset: QuerySet[TrainingWorkshop]) -> None:
        for workshop in queryset:
            try:
                invited = training_invitations_create(workshop=workshop, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{workshop}: {error}", messages.ERROR)
                continue
            self.message_user(
                request,
                ngettext(
                    "%(workshop)s: %(count)d person invited.",
                    "%(workshop)s: %(count)d people invited.",
                    len(invited),
                )
                % {"workshop": workshop, "count": len(invited)},
                messages.SUCCESS,
            )
