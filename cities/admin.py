import datetime as dt

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from travelsouth.admin_rows import each_row, tell
from travelsouth.i18n import missing_languages, translated_fields, translation_columns
from travelsouth.translation_admin import TranslatedAdmin, TranslatedTabularInline

from . import selectors, services, translations
from .forms import ConsentObtainedForm, DecisionReasonForm
from .models import (
    City,
    CityMembership,
    ContactConsentEvent,
    Country,
    GoodPractice,
    GoodPracticeToTranslate,
    HeritageSite,
    Language,
    Organisation,
    Person,
    Region,
    SustainableDevelopmentGoal,
    Theme,
)


@admin.register(Language)
class LanguageAdmin(TranslatedAdmin):
    list_display = ["name", "code", *translation_columns("name")]
    search_fields = ["name", "code", *translation_columns("name")]


@admin.register(Region)
class RegionAdmin(TranslatedAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["name", "code", *translation_columns("name")]
    autocomplete_fields = ["parent"]


@admin.register(Country)
class CountryAdmin(TranslatedAdmin):
    list_display = ["name", "iso_code", "region", "subregion", "is_global_south"]
    list_filter = ["is_global_south", "region", "subregion"]
    list_select_related = ["region", "subregion"]
    search_fields = ["name", "iso_code", *translation_columns("name")]
    autocomplete_fields = ["region", "subregion"]

    def save_model(self, request, obj, form, change):
        services.country_save(country=obj, changed=form.changed_data if change else ())


@admin.register(Theme)
class ThemeAdmin(TranslatedAdmin):
    list_display = ["name", "slug", *translation_columns("name")]
    search_fields = ["name", "slug", *translation_columns("name")]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        # Deleting a theme in use would silently strip it from practices, interests and proposals.
        if obj is not None and selectors.theme_in_use(theme=obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(TranslatedAdmin):
    list_display = ["number", "name"]
    search_fields = [*translated_fields("name"), "=number"]


class HeritageSiteInline(TranslatedTabularInline):
    model = HeritageSite
    extra = 0


@admin.register(City)
class CityAdmin(TranslatedAdmin):
    list_display = [
        "name",
        "kind",
        "country",
        "is_world_heritage_city",
        "showcased_in_series",
        "review_status",
    ]
    list_filter = [
        "kind",
        "review_status",
        "is_world_heritage_city",
        "showcased_in_series",
        "country__region",
        "country",
    ]
    list_select_related = ["country"]
    search_fields = [*translated_fields("name"), "slug", "country__name", "represented_by"]
    autocomplete_fields = ["country", "parent", "languages"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [HeritageSiteInline]
    # Proposed cities change review status only through the actions below (services).
    readonly_fields = ["review_status"]
    actions = ["approve_proposed_cities", "reject_proposed_cities"]

    def save_model(self, request, obj, form, change):
        # The refresh it schedules runs after commit, so after the languages and sites saved below.
        services.city_save(city=obj)

    @admin.action(description=_("Approve the selected proposed cities"), permissions=["change"])
    def approve_proposed_cities(self, request, queryset):
        return decide_with_reason(
            self,
            request,
            queryset,
            action="approve_proposed_cities",
            title=_("Approve proposed cities"),
            reason_required=False,
            decide=lambda city, reason: services.city_review_approve(city=city, by=request.user),
        )

    @admin.action(description=_("Reject the selected proposed cities"), permissions=["change"])
    def reject_proposed_cities(self, request, queryset):
        return decide_with_reason(
            self,
            request,
            queryset,
            action="reject_proposed_cities",
            title=_("Reject proposed cities"),
            reason_required=True,
            decide=lambda city, reason: services.city_review_reject(
                city=city, by=request.user, reason=reason
            ),
        )


@admin.register(HeritageSite)
class HeritageSiteAdmin(TranslatedAdmin):
    list_display = ["name", "city", "is_world_heritage", "inscribed_year"]
    list_filter = ["is_world_heritage"]
    list_select_related = ["city"]
    search_fields = ["name", "city__name"]
    autocomplete_fields = ["city"]


@admin.register(Organisation)
class OrganisationAdmin(TranslatedAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "acronym", "slug"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}


class ContactConsentEventInline(admin.TabularInline):
    model = ContactConsentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "at", "source"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(TranslatedAdmin):
    list_display = ["full_name", "title", "city", "organisation", "preferred_language", "has_contact_consent"]
    list_filter = ["preferred_language", "is_reconstructed", "organisation__kind", "city__country"]
    list_select_related = ["city", "organisation"]
    search_fields = ["full_name", "email", "title", "slug"]
    autocomplete_fields = ["city", "organisation", "user"]
    readonly_fields = ["contact_consent_given_at", "contact_consent_source", "contact_consent_withdrawn_at"]
    prepopulated_fields = {"slug": ["full_name"]}
    inlines = [ContactConsentEventInline]
    actions = ["record_consent_obtained_elsewhere"]

    @admin.action(description=_("Record consent obtained elsewhere…"), permissions=["change"])
    def record_consent_obtained_elsewhere(self, request, queryset):
        """A consent given outside the portal (a signed form, an e-mail), with its source and date. A
        waiting approval of the person's city then invites both cities (the change hook)."""
        form = ConsentObtainedForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            at = timezone.make_aware(dt.datetime.combine(form.cleaned_data["obtained_on"], dt.time(12)))
            source = _("%(source)s (recorded by %(staff)s)") % {
                "source": form.cleaned_data["source"],
                "staff": request.user.get_full_name() or request.user.get_username(),
            }
            recorded, refused = [], []
            for person in queryset:
                if person.is_reconstructed or not person.email:
                    refused.append(str(person))
                    continue
                services.person_consent_give(person=person, source=str(source), at=min(at, timezone.now()))
                recorded.append(str(person))
            if recorded:
                self.message_user(
                    request, _("Consent recorded for: %s.") % ", ".join(recorded), messages.SUCCESS
                )
            if refused:
                self.message_user(
                    request,
                    _("Not recorded (a placeholder person, or no e-mail address): %s.") % ", ".join(refused),
                    messages.ERROR,
                )
            return None
        return TemplateResponse(
            request,
            "cities/admin/decision.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Record consent obtained elsewhere"),
                "opts": self.model._meta,
                "rows": queryset,
                "form": form,
                "action": "record_consent_obtained_elsewhere",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def save_model(self, request, obj, form, change):
        services.person_save(person=obj, previous_city_id=form.initial.get("city") if change else None)

    @admin.display(boolean=True, description=_("consent to be contacted"))
    def has_contact_consent(self, person):
        return person.has_contact_consent


@admin.register(ContactConsentEvent)
class ContactConsentEventAdmin(admin.ModelAdmin):
    list_display = ["person", "action", "at", "source"]
    list_filter = ["action"]
    list_select_related = ["person"]
    search_fields = ["person__full_name", "person__email", "source"]
    readonly_fields = ["person", "action", "at", "source"]
    date_hierarchy = "at"

    # The record of consent is kept as it happened: changes go through the consent services, which
    # add events; erasing a person keeps their history anonymised (docs/security.md).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GoodPractice)
class GoodPracticeAdmin(TranslatedAdmin):
    list_display = ["title", "owner_name", "webinar", "year", "status", "theme_count", "is_reconstructed"]
    list_filter = ["status", "year", "webinar", "themes", "is_reconstructed", "city__country"]
    list_select_related = ["city", "organisation", "webinar"]
    search_fields = [*translated_fields("title"), "summary", "city__name", "organisation__name"]
    autocomplete_fields = ["city", "organisation", "themes", "sdgs", "webinar", "speaker"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(theme_total=Count("themes", distinct=True))

    def save_model(self, request, obj, form, change):
        # A practice moved to another city changes what both offer; the themes saved below are read
        # by the refresh, which runs after commit.
        services.good_practice_save(
            good_practice=obj, previous_city_id=form.initial.get("city") if change else None
        )

    def delete_model(self, request, obj):
        services.good_practice_delete(good_practice=obj)

    def delete_queryset(self, request, queryset):
        for practice in queryset:
            services.good_practice_delete(good_practice=practice)

    @admin.display(description=_("owner"))
    def owner_name(self, practice):
        return str(practice.owner)

    @admin.display(description=_("themes"), ordering="theme_total")
    def theme_count(self, practice):
        return practice.theme_total


@admin.register(GoodPracticeToTranslate)
class TranslationQueueAdmin(TranslatedAdmin):
    """The staff's translation queue: good practices that some portal language has no text in. Staff
    open one, write the missing title and summary in its language's tab, and save: it leaves the queue."""

    list_display = ["title", "owner_name", "original_language", "missing"]
    list_filter = ["original_language"]
    list_select_related = ["city", "organisation"]
    search_fields = [*translated_fields("title")]
    fields = ["original_language", "title", "summary"]
    readonly_fields = ["original_language"]

    def get_queryset(self, request):
        return translations.good_practices_to_translate()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.good_practice_save(good_practice=obj)

    @admin.display(description=_("owner"))
    def owner_name(self, practice):
        return str(practice.owner)

    @admin.display(description=_("languages missing"))
    def missing(self, practice):
        names = dict(settings.LANGUAGES)
        return ", ".join(str(names[code]) for code in missing_languages(practice, ["title", "summary"]))


@admin.register(CityMembership)
class CityMembershipAdmin(admin.ModelAdmin):
    """Staff review requests to act for a city through the actions; statuses never change by hand."""

    list_display = ["user", "city", "status", "role", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "city__review_status", "city__country"]
    list_select_related = ["user", "city", "decided_by"]
    search_fields = ["user__email", "user__username", "city__name", "role"]
    autocomplete_fields = ["user", "city"]
    readonly_fields = [
        "user",
        "city",
        "status",
        "role",
        "message",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]
    actions = ["approve_memberships", "reject_memberships"]

    def has_add_permission(self, request):
        # Requests come from the officials themselves (cities.services.membership_request).
        return False

    @admin.action(description=_("Approve the selected requests"), permissions=["change"])
    def approve_memberships(self, request, queryset):
        return decide_with_reason(
            self,
            request,
            queryset.select_related("city", "user"),
            action="approve_memberships",
            title=_("Approve requests to act for a city"),
            reason_required=False,
            decide=lambda membership, reason: services.membership_approve(
                membership=membership, by=request.user, reason=reason
            ),
        )

    @admin.action(description=_("Reject the selected requests"), permissions=["change"])
    def reject_memberships(self, request, queryset):
        return decide_with_reason(
            self,
            request,
            queryset.select_related("city", "user"),
            action="reject_memberships",
            title=_("Reject requests to act for a city"),
            reason_required=True,
            decide=lambda membership, reason: services.membership_reject(
                membership=membership, by=request.user, reason=reason
            ),
        )


def decide_with_reason(model_admin, request, queryset, *, action, title, reason_required, decide):
    """An admin action in two steps: a page asking for the reason, then one service call per row.

    Each row in its own transaction: a row the service refuses (wrong state, say) or fails on is
    reported, and the others still go through.
    """
    form = DecisionReasonForm(request.POST if "apply" in request.POST else None)
    form.fields["reason"].required = reason_required
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        report = each_row(queryset, lambda row: decide(row, reason))
        tell(model_admin, request, report, done=gettext("Decided: %(rows)s."))
        return None
    return TemplateResponse(
        request,
        "cities/admin/decision.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.model._meta,
            "rows": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )
