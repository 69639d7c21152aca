"""Admin for invitations: what was sent to whom, what failed and why, and the staff actions on them."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from travelsouth.admin_paging import LeanPaginator
from travelsouth.admin_rows import each_row, tell
from travelsouth.i18n import translated_fields
from travelsouth.translation_admin import TranslatedAdmin

from .. import selectors as partnership_selectors
from ..models import Invitation, InvitationSettings, TrainingWorkshop
from .selectors import invitation_admin_list, invitations_matching
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


class FollowUpFilter(admin.SimpleListFilter):
    """Invitations the staff should follow up (the work queue links here)."""

    title = _("follow-up")
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        days = partnership_selectors.unanswered_after_days()
        return [
            (
                "unanswered",
                ngettext(
                    "Introductions unanswered after %(days)d day",
                    "Introductions unanswered after %(days)d days",
                    days,
                )
                % {"days": days},
            )
        ]

    def queryset(self, request, queryset):
        if self.value() == "unanswered":
            unanswered = partnership_selectors.introductions_unanswered(now=timezone.now())
            return queryset.filter(pk__in=unanswered.values("pk"))
        return queryset


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    # Lists of 100,000 rows and more: pages by id, an estimated count (travelsouth/admin_paging.py).
    paginator = LeanPaginator
    show_full_result_count = False
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
    # A date filter rather than date_hierarchy, whose links need a DISTINCT over every row's date
    # (half a second at 100,000 invitations on SQLite, bench/admin.py).
    list_filter = [
        FollowUpFilter,
        "status",
        "kind",
        "answer",
        "closed_reason",
        "person__preferred_language",
        "created_at",
    ]
    search_fields = ["person__full_name", "person__email", "city__name", "last_error"]
    fields = INVITATION_FIELDS
    readonly_fields = INVITATION_FIELDS
    actions = ["resend", "cancel"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Invitation]:
        return invitation_admin_list()

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Invitation], search_term: str):
        if not search_term.strip():
            return queryset, False
        return invitations_matching(invitations=queryset, search=search_term), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("last error"))
    def short_error(self, invitation: Invitation) -> str:
        return Truncator(invitation.last_error).chars(80)

    @admin.action(description=_("Send again (failed or cancelled only)"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        """Staff retry in bulk (every failed row after a mail server outage, say): each row on its own."""
        report = each_row(
            queryset.select_related("person"),
            lambda invitation: invitation_resend(invitation=invitation, by=request.user),
            describe=_row_name,
        )
        tell(
            self,
            request,
            report,
            done=gettext("Queued again: %(rows)s."),
            skipped=gettext("Left as they are (not failed or cancelled): %(rows)s."),
        )

    @admin.action(description=_("Cancel (if not yet sent)"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        report = each_row(
            queryset.select_related("person"),
            lambda invitation: invitation_cancel(invitation=invitation, by=request.user),
            describe=_row_name,
        )
        tell(
            self,
            request,
            report,
            done=gettext("Cancelled: %(rows)s."),
            skipped=gettext("Not cancelled (already handed to the mail server, or closed): %(rows)s."),
        )


def _row_name(invitation: Invitation) -> str:
    return f"#{invitation.pk} {invitation.person}"


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
        # The singleton: for superusers, or staff given the named permission (in no role).
        return super().has_add_permission(request) and not InvitationSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(TrainingWorkshop)
class TrainingWorkshopAdmin(TranslatedAdmin):
    list_display = ["title", "starts_at", "location", "created_at"]
    search_fields = [*translated_fields("title"), "description"]
    date_hierarchy = "starts_at"
    actions = ["invite_interested"]

    @admin.action(description=_("Invite everyone who asked for training workshops"), permissions=["change"])
    def invite_interested(self, request: HttpRequest, queryset: QuerySet[TrainingWorkshop]) -> None:
        invited: dict[str, int] = {}

        def invite(workshop: TrainingWorkshop) -> None:
            invited[str(workshop)] = len(training_invitations_create(workshop=workshop, by=request.user))

        report = each_row(queryset, invite)
        report.done = [
            ngettext(
                "%(workshop)s: %(count)d person invited", "%(workshop)s: %(count)d people invited", count
            )
            % {"workshop": workshop, "count": count}
            for workshop, count in invited.items()
            if workshop in report.done
        ]
        tell(self, request, report, done="%(rows)s.")
