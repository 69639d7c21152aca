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
def city_partnerships(city):
    """The city's formed partnerships (public: no personal data)."""
    return selectors.city_partnerships(city=city)


@register.simple_tag
def official_partnerships(user):
    """The partnerships of the cities ``user`` acts for, with their check-ins (their dashboard)."""
    return selectors.partnerships_of_official(user=user)


@register.simple_tag
def current_interest(city):
    """The city's current interest, published or not (its officials' page)."""
    return selectors.current_interest(city=city)
