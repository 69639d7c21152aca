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


# Free text makes endless keys: a form with one is rendered, never kept.
_FREE_TEXT_FIELDS = ("search", "q")


@register.simple_tag(takes_context=True)
def filter_form(context, form, label: str, template_name: str = "cities/_filters.html") -> str:
    """A public list's filter form, rendered once per language, data version and chosen filters and
    then kept (``versioned``): its choices (every country, region, theme ... in the visitor's order)
    are a third of an uncached directory page. A form with free text or an invalid value is rendered
    each time."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from travelsouth.pages import versioned

    def render() -> str:
        return render_to_string(template_name, {"form": form, "label": label}, request=context.get("request"))

    if form.is_bound and (not form.is_valid() or any(form.data.get(name) for name in _FREE_TEXT_FIELDS)):
        return render()
    chosen = tuple((name, form.data.get(name, "")) for name in form.fields) if form.is_bound else ()
    key = f"filters:{template_name}:{type(form).__name__}:{translation.get_language()}:{label}:{form.is_bound}:{chosen}"
    return mark_safe(versioned(key, lambda: str(render())))


class _KeptNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context) -> str:
        from django.utils.safestring import mark_safe

        from travelsouth.pages import versioned

        key = f"kept:{self.name.resolve(context)}:{translation.get_language()}"
        return mark_safe(versioned(key, lambda: str(self.nodelist.render(context))))


@register.tag
def kept(parser, token):
    """``{% kept "home-series" %}...{% endkept %}``: a part of a page that shows data only (the same
    for every visitor in a language), rendered once per language and data version and then kept
    (``versioned``). What it reads should be passed lazily (a callable), so that a kept part reads
    nothing. Never around anything that depends on the visitor (sign-in, permissions, forms)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% kept %} takes one name")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return _KeptNode(nodelist, parser.compile_filter(bits[1]))
