"""A URL conf for tests/travelsouth/test_page_cache.py: a public page whose template draws a CSP nonce."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from travelsouth.pages import public_page

_TEMPLATE = engines["django"].from_string('<p>Hello</p><script nonce="{{ request.csp_nonce }}">1</script>')


@public_page
def page_with_an_inline_script(request):
    return HttpResponse(_TEMPLATE.render({}, request))


urlpatterns = [path("inline-script/", page_with_an_inline_script)]
