"""View decorators shared by every door that edits a city (cities and partnerships views)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import selectors
from .models import City
from .permissions import can_edit_city


def official_city(view):
    """Resolve ``slug`` to a city the signed-in user may edit, and pass it to the view as ``city``.

    Anonymous visitors are sent to log in, an unknown city is a 404, and anyone who is not an approved
    official of the city gets a 403 before anything of it is read.
    """

    @login_required
    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        try:
            city = selectors.city_for_officials(slug=slug)
        except City.DoesNotExist:
            raise Http404 from None
        if not can_edit_city(request.user, city):
            raise PermissionDenied
        return view(request, city, *args, **kwargs)

    return wrapper
