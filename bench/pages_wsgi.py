"""The project's WSGI application with one more address for the benches: ``/bench-constant/``, a
constant HTML page served through the same middleware as every page (the benches' yardstick)."""

from django.http import HttpResponse
from django.urls import path

from travelsouth.wsgi import application  # gunicorn serves it; importing it sets Django up

BODY = (
    b"<!DOCTYPE html><html lang=en><head><title>Constant</title></head><body><p>Constant.</p></body></html>"
)


def constant(request):
    return HttpResponse(BODY)


def _add_constant_view() -> None:
    from travelsouth import urls  # only once Django is set up

    urls.urlpatterns.insert(0, path("bench-constant/", constant))


_add_constant_view()
__all__ = ["application"]
