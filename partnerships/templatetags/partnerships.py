"""What partnerships know about a city, for the pages of cities (which sit below partnerships and do
not import it): ``{% load partnerships %}{% published_interest city as interest %}``."""

from django import template

from partnerships import selectors

register = template.Library()


@register.simple_tag
def published_interest(city):
    """The city's current interest when its officials published it, else None (the public page)."""
    return selectors.published_interest(city=city)


@register.simple_tag
def current_interest(city):
    """The city's current interest, published or not (its officials' page)."""
    return selectors.current_interest(city=city)
