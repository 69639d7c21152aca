"""The staff's review of proposals: list, filters, reasons, decisions, and the "Run matching" button."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from travelsouth.admin_rows import each_row, tell
from travelsouth.i18n import localized

from .. import selectors, services
from ..invitations.admin import ProposalInvitationInline
from ..matching.explanations import describe_run_notes
from ..matching.runs import matching_run_queue
from ..models import (
    Proposal,
)
from .review import (
    CountryFilter,
    RegionFilter,
    RejectForm,
    ThemeFilter,
    reasons_html,
    timeline_html,
)


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """The staff's review of proposals: best first, filters, reasons with their evidence, decisions."""

    change_list_template = "admin/partnerships/proposal/change_list.html"
    change_form_template = "admin/partnerships/proposal/change_form.html"
    list_display = [
        "pair",
        "score",
        "status",
        "theme_list",
        "is_triangular",
        "is_invitable",
        "run",
        "created_at",
    ]
    list_filter = [
        "status",
        CountryFilter,
        RegionFilter,
        ThemeFilter,
        "is_triangular",
        "is_invitable",
    ]
    ordering = ["-score", "id"]
    search_fields = [
        "city_a__name",
        "city_b__name",
        "city_a__name_es",
        "city_b__name_es",
        "city_a__name_zh",
        "city_b__name_zh",
    ]
    autocomplete_fields = ["themes"]
    fields = [
        "pair",
        "status",
        "score",
        "reasons_explained",
        "themes",
        "is_triangular",
        "is_invitable",
        "run",
        "last_run",
        "decided_by",
        "decided_at",
        "decision_reason",
        "timeline",
    ]
    readonly_fields = [
        "pair",
        "status",
        "score",
        "reasons_explained",
        "is_triangular",
        "is_invitable",
        "run",
        "last_run",
        "decided_by",
        "decided_at",
        "decision_reason",
        "timeline",
    ]
    actions = ["approve_and_invite", "reject_selected"]
    inlines = [ProposalInvitationInline]

    def get_queryset(self, request):
        return selectors.proposals_for_review()

    def has_add_permission(self, request):
        return False  # proposals come from matching runs

    def has_delete_permission(self, request, obj=None):
        return False  # decisions stay on record

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in Proposal.OPEN_STATUSES:
            return [*self.readonly_fields, "themes"]
        return self.readonly_fields

    @admin.display(description=_("cities"), ordering="city_a__name")
    def pair(self, proposal):
        return format_html(
            "{} ({}) ↔ {} ({})",
            localized(proposal.city_a, "name"),
            localized(proposal.city_a.country, "name"),
            localized(proposal.city_b, "name"),
            localized(proposal.city_b.country, "name"),
        )

    @admin.display(description=_("themes"))
    def theme_list(self, proposal):
        return ", ".join(localized(theme, "name") for theme in proposal.themes.all()) or "-"

    @admin.display(description=_("why"))
    def reasons_explained(self, proposal):
        return reasons_html(proposal.reasons)

    @admin.display(description=_("timeline"))
    def timeline(self, proposal):
        return timeline_html(selectors.proposal_timeline(proposal=proposal))

    # --- saving: only the themes are editable, through the service --------------------------------

    def save_model(self, request, obj, form, change):
        pass  # nothing but the themes can change here; see save_related

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # the invitations inline: read-only, saved for the admin's bookkeeping
            self.save_formset(request, form, formset, change=change)
        if "themes" not in form.changed_data:
            return
        try:
            services.proposal_themes_update(
                proposal=form.instance, themes=form.cleaned_data["themes"], by=request.user
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    # --- decisions ---------------------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "run-matching/",
                self.admin_site.admin_view(self.run_matching_view),
                name=f"{prefix}_run_matching",
            ),
            path("runs/<int:run_id>/", self.admin_site.admin_view(self.run_view), name=f"{prefix}_run"),
            path(
                "<int:proposal_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name=f"{prefix}_approve",
            ),
            path(
                "<int:proposal_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name=f"{prefix}_reject",
            ),
            *super().get_urls(),
        ]

    def _check_can_decide(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied

    def approve_view(self, request, proposal_id: int):
        self._check_can_decide(request)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:partnerships_proposal_change", args=[proposal_id]))
        proposal = get_object_or_404(Proposal, pk=proposal_id)
        self._approve(request, [proposal])
        return HttpResponseRedirect(reverse("admin:partnerships_proposal_change", args=[proposal_id]))

    def reject_view(self, request, proposal_id: int):
        self._check_can_decide(request)
        proposal = get_object_or_404(selectors.proposals_for_review(), pk=proposal_id)
        return self._reject_form(
            request,
            [proposal],
            done_url=reverse("admin:partnerships_proposal_change", args=[proposal_id]),
            action_url=reverse("admin:partnerships_proposal_reject", args=[proposal_id]),
        )

    @admin.action(description=_("Approve and invite the cities"), permissions=["change"])
    def approve_and_invite(self, request, queryset):
        self._approve(request, list(queryset))

    @admin.action(description=_("Reject the selected proposals…"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._reject_form(request, list(queryset), done_url=None, action_url="")

    def _approve(self, request, proposals):
        # Each proposal in its own transaction: one that fails leaves the others approved and itself untouched.
        report = each_row(
            proposals, lambda proposal: services.proposal_approve(proposal=proposal, by=request.user)
        )
        tell(self, request, report, done=gettext("Approved, and their cities invited: %(rows)s."))

    def _reject_form(self, request, proposals, *, done_url, action_url):
        form = RejectForm(request.POST if request.POST.get("reject") else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            report = each_row(
                proposals,
                lambda proposal: services.proposal_reject(proposal=proposal, by=request.user, reason=reason),
            )
            tell(self, request, report, done=gettext("Rejected: %(rows)s."))
            return HttpResponseRedirect(done_url or request.get_full_path())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Reject proposals"),
            "proposals": proposals,
            "form": form,
            "action_url": action_url,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "is_action": done_url is None,
        }
        return TemplateResponse(request, "admin/partnerships/proposal/reject.html", context)

    # --- runs ----------------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "latest_run": selectors.latest_full_run(),
            "run_matching_url": reverse("admin:partnerships_proposal_run_matching"),
        }
        return super().changelist_view(request, extra_context)

    def run_matching_view(self, request):
        self._check_can_decide(request)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:partnerships_proposal_changelist"))
        run = matching_run_queue(by=request.user, trigger="admin")
        return HttpResponseRedirect(reverse("admin:partnerships_proposal_run", args=[run.pk]))

    def run_view(self, request, run_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = get_object_or_404(selectors.matching_runs(), pk=run_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Matching run #%(id)s") % {"id": run.pk},
            "run": run,
            "notes": describe_run_notes(run.notes, cap=run.settings_used.get("proposals_per_city")),
        }
        return TemplateResponse(request, "admin/partnerships/proposal/run.html", context)
