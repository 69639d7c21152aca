from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .admin_rows import each_row, tell
from .models import PartnerToken
from .services import partner_token_create, partner_token_revoke


@admin.register(PartnerToken)
class PartnerTokenAdmin(admin.ModelAdmin):
    """Staff create and revoke partners' API tokens here. A key is shown once, right after creation."""

    list_display = ["name", "key_prefix", "user", "organisation", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "organisation"]
    search_fields = ["name", "key_prefix", "user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["key_prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke_tokens"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "user", "organisation"]
        return ["name", "user", "organisation", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        # The account a token acts as never changes: revoke and create another instead.
        return [*self.readonly_fields, "user"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # Revoked tokens stay, so their use remains traceable.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = partner_token_create(
            name=obj.name, user=obj.user, organisation=obj.organisation, created_by=request.user
        )
        for field in token._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))
        obj._state.adding = False
        request._partner_token_key = key

    def response_add(self, request, obj, post_url_continue=None):
        key = getattr(request, "_partner_token_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        # Rendered straight into this response: the key is never stored, not even in a message.
        return TemplateResponse(
            request,
            "admin/travelsouth/partnertoken/key_created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "token": obj,
                "key": key,
                "title": _("Copy the new API key now"),
            },
        )

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke_tokens(self, request, queryset):
        report = each_row(
            queryset.filter(revoked_at__isnull=True), lambda token: partner_token_revoke(token=token)
        )
        tell(self, request, report, done=gettext("Revoked: %(rows)s."))
