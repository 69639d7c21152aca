"""Staff erase a person on request, from the people's admin page (portal/personal_data.py).

The action lives here, not in cities/admin.py: erasing reaches surveys and partnerships, which cities
may not import. portal's AppConfig.ready() imports this module once every admin is registered.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cities.admin import PersonAdmin
from travelsouth.admin_rows import each_row, tell

from .personal_data import person_erase


@admin.action(description=_("Erase the selected people (on their request)"), permissions=["delete"])
def erase_people(modeladmin, request, queryset):
    """Erase each person in a transaction of its own; their consent history stays, anonymised."""
    report = each_row(queryset, lambda person: person_erase(person=person, by=request.user))
    tell(modeladmin, request, report, done=gettext("Erased: %(rows)s."))
    if report.done:
        modeladmin.message_user(
            request, gettext("Their consent history is kept, without their name or address."), messages.INFO
        )


PersonAdmin.actions = [*PersonAdmin.actions, erase_people]
