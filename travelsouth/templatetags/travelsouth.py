from django import template

from travelsouth.i18n import localized as localized_text

register = template.Library()


@register.filter
def localized(instance, field: str) -> str:
    """``{{ practice|localized:"title" }}``: the text in the visitor's language, else the base text."""
    return localized_text(instance, field)


@register.filter
def percent_of(value: int, total: int) -> float:
    """Width of a chart bar: ``value`` as a percentage of ``total`` (0 when total is 0)."""
    return round(100 * value / total, 1) if total else 0


@register.filter
def max_views(webinars) -> int:
    return max((webinar.total_views for webinar in webinars), default=0)
