"""The staff's review of proposals: list, filters, reasons, decisions, and the "Run matching" button."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cities.forms import apply_service_errors
from cities.models import Person
from cities.services import city_contact_add
from travelsouth.admin_paging import LeanPaginator
from travelsouth.admin_rows import each_row, tell
from travelsouth.i18n import localized

from .. import lifecycle, selectors
from ..invitations.admin import ProposalInvitationInline
from ..invitations.outreach import consent_request_send
from ..matching.explanations import describe_run_notes
from ..matching.runs import matching_run_queue
from ..models import (
    Proposal,
)
from .review import (
    ContactForm,
    CountryFilter,
    NoteForm,
    RegionFilter,
    RejectForm,
    ThemeFilter,
    reach_html,
    reasons_html,
    timeline_html,
)


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """The staff's review of proposals: best first, filters, reasons with their evidence, decisions."""

    change_list_template = "admin/partnerships/proposal/change_list.html"
    change_form_template = "admin/partnerships/proposal/change_form.html"
    # Lists of 100,000 rows and more: pages by id, an estimated count (travelsouth/admin_paging.py).
    paginator = LeanPaginator
    show_full_result_count = False
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
        "city_a__name_zh_hans",
        "city_b__name_zh_hans",
    ]
    autocomplete_fields = ["themes"]
    fields = [
        "pair",
        "status",
        "score",
        "reach",
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
        "reach",
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

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return selectors.proposals_matching_city_names(proposals=queryset, search=search_term), False

    def has_add_permission(self, request):
        return False  # proposals come from matching runs

    def has_delete_permission(self, request, obj=None):
        return False  # decisions stay on record

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        sides = selectors.proposal_reach(proposal=proposal) if proposal is not None else []
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "reach_sides": sides}
        )

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

    @admin.display(description=_("who can be invited"))
    def reach(self, proposal):
        return reach_html(proposal, selectors.proposal_reach(proposal=proposal))

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
            lifecycle.proposal_themes_update(
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
            path(
                "<int:proposal_id>/move-back/",
                self.admin_site.admin_view(self.move_back_view),
                name=f"{prefix}_move_back",
            ),
            path(
                "<int:proposal_id>/reopen/",
                self.admin_site.admin_view(self.reopen_view),
                name=f"{prefix}_reopen",
            ),
            path(
                "<int:proposal_id>/cities/<int:city_id>/add-contact/",
                self.admin_site.admin_view(self.add_contact_view),
                name=f"{prefix}_add_contact",
            ),
            path(
                "<int:proposal_id>/consent-request/<int:person_id>/",
                self.admin_site.admin_view(self.consent_request_view),
                name=f"{prefix}_consent_request",
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
        waiting: dict[str, str] = {}

        def approve(proposal):
            approved = lifecycle.proposal_approve(proposal=proposal, by=request.user)
            if approved.status == Proposal.Status.WAITING:
                waiting[str(proposal)] = ", ".join(
                    localized(city, "name") for city in lifecycle.unreachable_cities(approved)
                )

        report = each_row(proposals, approve)
        report.done = [name for name in report.done if name not in waiting]
        if report.done or report.refused or report.failed or not waiting:
            tell(self, request, report, done=gettext("Approved, and their cities invited: %(rows)s."))
        for name, cities in waiting.items():
            self.message_user(
                request,
                gettext(
                    "%(proposal)s approved, waiting for a contact of %(cities)s: nobody there has agreed to "
                    "be contacted yet. The cities are invited as soon as someone does."
                )
                % {"proposal": name, "cities": cities},
                messages.WARNING,
            )

    def _note_step(self, request, proposal_id: int, *, step, title: str, done: str):
        """A staff move that takes an optional note (move back, reopen): a form, then the service."""
        self._check_can_decide(request)
        proposal = get_object_or_404(selectors.proposals_for_review(), pk=proposal_id)
        change_url = reverse("admin:partnerships_proposal_change", args=[proposal_id])
        form = NoteForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                step(proposal=proposal, by=request.user, note=form.cleaned_data["note"])
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, done % {"proposal": proposal}, messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "proposal": proposal,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/partnerships/proposal/note_step.html", context)

    def move_back_view(self, request, proposal_id: int):
        return self._note_step(
            request,
            proposal_id,
            step=lifecycle.proposal_move_back,
            title=gettext("Move the approval back to review"),
            done=gettext("%(proposal)s is awaiting review again; its open introductions are closed."),
        )

    def reopen_view(self, request, proposal_id: int):
        return self._note_step(
            request,
            proposal_id,
            step=lifecycle.proposal_reopen,
            title=gettext("Reopen the proposal for review"),
            done=gettext("%(proposal)s is awaiting review again."),
        )

    def add_contact_view(self, request, proposal_id: int, city_id: int):
        """Add a contact to one of the proposal's cities and e-mail them a consent request."""
        self._check_can_decide(request)
        if not request.user.has_perm("cities.add_person"):
            raise PermissionDenied
        proposal = get_object_or_404(selectors.proposals_for_review(), pk=proposal_id)
        if city_id not in (proposal.city_a_id, proposal.city_b_id):
            raise Http404
        city = proposal.city_a if city_id == proposal.city_a_id else proposal.city_b
        change_url = reverse("admin:partnerships_proposal_change", args=[proposal_id])
        form = ContactForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                with transaction.atomic():
                    person = city_contact_add(city=city, **form.cleaned_data)
                    consent_request_send(person=person, by=request.user, proposal=proposal)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                self.message_user(
                    request,
                    gettext("%(person)s is a contact of %(city)s now, and is asked for consent by e-mail.")
                    % {"person": person.full_name, "city": localized(city, "name")},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Add a contact of %(city)s") % {"city": localized(city, "name")},
            "proposal": proposal,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/partnerships/proposal/add_contact.html", context)

    def consent_request_view(self, request, proposal_id: int, person_id: int):
        self._check_can_decide(request)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:partnerships_proposal_change", args=[proposal_id]))
        proposal = get_object_or_404(selectors.proposals_for_review(), pk=proposal_id)
        person = get_object_or_404(Person, pk=person_id, city_id__in=[proposal.city_a_id, proposal.city_b_id])
        request_sent = consent_request_send(person=person, by=request.user, proposal=proposal)
        if request_sent is None:
            self.message_user(
                request,
                gettext("%(person)s cannot be asked: no address, or consent already given.")
                % {"person": person},
                messages.WARNING,
            )
        else:
            self.message_user(
                request, gettext("A consent request is on its way to %(person)s.") % {"person": person}
            )
        return HttpResponseRedirect(reverse("admin:partnerships_proposal_change", args=[proposal_id]))

    def _reject_form(self, request, proposals, *, done_url, action_url):
        form = RejectForm(request.POST if request.POST.get("reject") else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            report = each_row(
                proposals,
                lambda proposal: lifecycle.proposal_reject(proposal=proposal, by=request.user, reason=reason),
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
        if not request.user.has_perm("partnerships.add_matchingrun"):
            raise PermissionDenied
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
