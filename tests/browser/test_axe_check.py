"""The accessibility check itself: it must be able to fail."""

import pytest
from django.urls import reverse

from tests.browser.helpers import accessibility_report

UNLABELLED = "<input type='text' name='nameless'><img src='/static/img/favicon.svg'>"


@pytest.mark.browser
def test_axe_reports_a_field_without_label_and_an_image_without_alt(live_server, personas, phone):
    page = phone().new_page()
    page.goto(f"{live_server.url}{reverse('front:landing', args=[personas.ede.slug])}")
    assert accessibility_report(page) == ""

    page.locator("main").evaluate(f"main => main.insertAdjacentHTML('beforeend', {UNLABELLED!r})")

    report = accessibility_report(page)
    assert "label" in report
    assert "image-alt" in report
