"""What webinars know about a city, for the pages of cities (which sit below webinars and do not
import it): ``{% load webinars %}{% city_webinars city as webinars %}``."""

from django import template

from webinars.selectors import webinars_presented_by

register = template.Library()


@register.simple_tag
def city_webinars(city):
    """The webinars where someone spoke for ``city``, in broadcast order (evaluated once)."""
    return list(webinars_presented_by(city=city))
