from django import template
from django.utils import translation

from travelsouth.i18n import language_versions, untranslated_from
from travelsouth.i18n import localized as localized_text
from travelsouth.i18n import translation_into as translation_text

register = template.Library()


@register.filter
def localized(instance, field: str) -> str:
    """``{{ practice|localized:"title" }}``: the text in the visitor's language, else the base text."""
    return localized_text(instance, field)


@register.filter(name="untranslated_from")
def untranslated_from_filter(instance, field: str) -> str:
    """``{{ city|untranslated_from:"description" }}``: the name of the language the text is shown in
    when the visitor's language has none (for the original-language note), else blank."""
    return untranslated_from(instance, field)


@register.filter(name="translation")
def translation_filter(instance, field: str) -> str:
    """``{{ quote|translation:"text" }}``: the text's translation into the visitor's language, blank
    when there is none (then the original is shown alone)."""
    return translation_text(instance, field)


@register.simple_tag(takes_context=True)
def page_language_versions(context) -> dict:
    """``{% page_language_versions as versions %}``: this page in each interface language (its address,
    for the switcher's links and the ``hreflang`` links), and whether it has addresses per language."""
    request = context.get("request")
    if request is None:
        return {"languages": [], "has_versions": False, "default_path": ""}
    languages = language_versions(request.get_full_path(), translation.get_language())
    return {
        "languages": languages,
        "has_versions": len({version["path"] for version in languages}) > 1,
        # The unprefixed address, which negotiates a first visit's language on the home page.
        "default_path": languages[0]["path"],
    }


@register.filter
def percent_of(value: int, total: int) -> float:
    """Width of a chart bar: ``value`` as a percentage of ``total`` (0 when total is 0)."""
    return round(100 * value / total, 1) if total else 0


@register.filter
def max_views(webinars) -> int:
    return max((webinar.total_views for webinar in webinars), default=0)
