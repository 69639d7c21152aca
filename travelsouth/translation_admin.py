"""Admin pages for models with translated fields (django-modeltranslation): one box per language for
each translated field, shown as tabs, one language at a time.

modeltranslation's own tabs need jQuery UI from a CDN, which the Content-Security-Policy (scripts and
styles from this site only) forbids; ``admin/js/translation_tabs.js`` does the same with no library,
from a static file, and adds no inline script or style.
"""

from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline


class TranslationTabsMedia:
    js = ("admin/js/translation_tabs.js",)
    css = {"all": ("admin/css/translation_tabs.css",)}


class TranslatedAdmin(TranslationAdmin):
    """A ModelAdmin for a model with translated fields: the base field is left out of the form (its
    column follows the English, or the original: ``travelsouth.i18n.TranslatedContent``)."""

    Media = TranslationTabsMedia


class TranslatedTabularInline(TranslationTabularInline):
    Media = TranslationTabsMedia


class TranslatedStackedInline(TranslationStackedInline):
    Media = TranslationTabsMedia
