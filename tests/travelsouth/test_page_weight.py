"""Light pages: a typical page, with its stylesheet, weighs under 200 KB and needs no script."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 200 * 1024


@pytest.mark.parametrize(
    "path", ["/", "/cities/", "/good-practices/", "/es/cities/", "/zh-hans/good-practices/"]
)
def test_a_typical_page_with_its_css_weighs_under_200_kb_and_has_no_script(client, report_data, path):
    response = client.get(path)
    html = response.content
    stylesheets = re.findall(rb'<link rel="stylesheet" href="/static/([^"]+)"', html)

    weight = len(html) + sum(
        Path(settings.BASE_DIR, "static", name.decode()).stat().st_size for name in stylesheets
    )

    assert response.status_code == 200
    assert stylesheets == [b"css/site.css"]
    assert weight < BUDGET_BYTES, f"{path} weighs {weight} bytes"
    assert b"<script" not in html
