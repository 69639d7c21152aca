"""Every word a template shows is marked for translation: text outside ``{% translate %}`` and
``{% blocktranslate %}`` would stay English on /es/ and /zh-hans/. The catalogues' completeness (no
untranslated or fuzzy message) is tested in test_languages.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted(path for path in Path(settings.BASE_DIR, "templates").rglob("*") if path.is_file())
# Words that are the same in every language: a time zone's name, HTTP methods (the browsable API's
# buttons).
SAME_IN_EVERY_LANGUAGE = {"UTC", "GET", "OPTIONS"}
WORD = r"[^\W\d_][\w'’.-]*"


def without_template_code(text: str) -> str:
    """The text with comments and every tag and variable removed (translated blocks included)."""
    text = re.sub(r"{% *comment *%}.*?{% *endcomment *%}|{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"{% *blocktrans(?:late)? .*?{% *endblocktrans(?:late)? *%}", " ", text, flags=re.S)
    return re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=re.S)


def untranslated_words(text: str) -> list[str]:
    """Words the template prints as they are, in its text and in the attributes people read."""
    text = without_template_code(text)
    attributes = re.findall(r'\b(?:alt|title|aria-label|placeholder|aria-description)="([^"]*)"', text)
    text = re.sub(r"<(script|style|svg|code)\b.*?</\1>|<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    words = re.findall(WORD, text) + [word for value in attributes for word in re.findall(WORD, value)]
    return [word for word in words if word not in SAME_IN_EVERY_LANGUAGE]


def test_the_checker_finds_text_outside_translate_tags():
    template = (
        '{% load i18n %}<h1 title="Plain title">{% translate "Marked" %}</h1><p>Not marked {{ name }}</p>'
        "{% blocktranslate %}Marked {{ name }}{% endblocktranslate %}<code>Authorization: Token</code>"
        "{# a comment #}"
    )

    assert untranslated_words(template) == ["Not", "marked", "Plain", "title"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_every_template_string_is_marked_for_translation(path):
    assert untranslated_words(path.read_text(encoding="utf-8")) == []
