"""Pages under the Content-Security-Policy in a real browser.

Every browser test fails when one of its pages reports a violation (the `new_context` fixture in
conftest.py), so the journeys in the other files run under the policy too. Here: proof that a
violation is caught, and the admin, whose scripts are Django's own.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.people.models import Language, User
from tests.browser.helpers import tr


@pytest.mark.browser
def test_inline_script_and_style_are_refused_and_fail_the_test(
    live_server, personas, phone, csp_violations
):
    page = phone().new_page()
    page.goto(f"{live_server.url}{reverse('front:landing', args=[personas.ede.slug])}")
    assert csp_violations == []

    # What an injected bit of HTML would try: an inline handler, an inline script, a style.
    page.locator("main").evaluate(
        """main => {
            main.insertAdjacentHTML('beforeend', '<p id="styled" style="color: red">styled</p>');
            const script = document.createElement('script');
            script.textContent = 'document.body.dataset.ran = "yes"';
            document.body.append(script);
        }"""
    )
    expect(page.locator("#styled")).not_to_have_css("color", "rgb(255, 0, 0)")
    assert page.locator("body").get_attribute("data-ran") is None
    page.title()  # one more round trip, so the browser's reports have arrived

    refused = "\n".join(csp_violations)
    assert "style-src" in refused and "script-src" in refused, refused
    # Caught: now let the fixture's own check pass.
    csp_violations.clear()


@pytest.mark.browser
def test_the_admin_works_under_the_policy(live_server, personas, phone):
    """Django's admin needs no inline script: its widgets work without relaxing the policy."""
    server = live_server.url
    User.objects.create_superuser("root@example.org", personas.password, preferred_language="en")
    somali, _created = Language.objects.get_or_create(
        code="so", defaults={"english_name": "Somali", "native_name": "Soomaali"}
    )
    page = phone(lang="en").new_page()
    page.goto(f"{server}{reverse('admin:login')}")
    page.locator("#id_username").fill("root@example.org")
    page.locator("#id_password").fill(personas.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{server}{reverse('admin:index')}")

    # A new neighbourhood: the slug follows the name, a language is chosen in the two-box
    # widget and a building added in the inline, all done by the admin's scripts.
    page.goto(f"{server}{reverse('admin:neighbourhoods_neighbourhood_add')}")
    page.locator("#id_name").press_sequentially("Veldhuizen")
    expect(page.locator("#id_slug")).to_have_value("veldhuizen")
    page.locator("#id_municipality").fill("Ede")
    page.locator("#id_languages_from").select_option("so")
    page.locator("#id_languages_add").click()
    expect(page.locator("#id_languages_to option")).to_have_text([tr("en", somali.english_name)])
    page.locator("#buildings-group .add-row a").click()
    page.locator("#id_buildings-0-name").fill("De Toren")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("Veldhuizen")
    veldhuizen = Neighbourhood.objects.get(slug="veldhuizen")
    assert list(veldhuizen.languages.values_list("code", flat=True)) == ["so"]
    assert list(veldhuizen.buildings.values_list("name", flat=True)) == ["De Toren"]

    # A membership: the person is found through the autocomplete box.
    page.goto(f"{server}{reverse('admin:neighbourhoods_membership_add')}")
    page.locator("#id_user + .select2").click()
    page.locator(".select2-search__field").fill("olga")
    page.locator(".select2-results__option", has_text=str(personas.olga)).click()
    page.locator("#id_neighbourhood").select_option(label="Veldhuizen")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert Membership.objects.filter(user=personas.olga, neighbourhood=veldhuizen).exists()
