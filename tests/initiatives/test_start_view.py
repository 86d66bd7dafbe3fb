"""Starting an initiative: three short steps that work without JavaScript and lose nothing."""

import pytest
from django.urls import reverse

from buurtnet.initiatives.models import Initiative, Participation, Theme

START = reverse("initiatives:start", args=["ede-zuid"])

WISH = {
    "step": "1",
    "action": "next",
    "wish": "A warm meal together, once a month",
    "title": "Buurtdiner",
}


def plan(**extra) -> dict:
    themes = [str(t.pk) for t in Theme.objects.filter(slug__in=["food", "meeting"])]
    data = {
        "step": "2",
        "action": "next",
        "description": "In de Elskamp, first Friday",
        "themes": themes,
        "need_kind": "hands",
        "need_description": "People to set the tables",
        "need_talent": "",
    }
    data.update(extra)
    return data


def test_the_three_steps_start_an_initiative_led_by_me(as_user, personas):
    client = as_user(personas.daan)
    assert client.get(START).status_code == 200

    response = client.post(START, WISH)
    assert response.status_code == 302 and response["Location"] == f"{START}?step=2"
    response = client.post(START, plan())
    assert response.status_code == 302 and response["Location"] == f"{START}?step=3"

    confirm_page = client.get(f"{START}?step=3").content.decode()
    assert "A warm meal together, once a month" in confirm_page  # the summary to confirm

    response = client.post(START, {"step": "3", "action": "confirm", "visibility": "members"})
    initiative = Initiative.objects.get(title="Buurtdiner")
    assert response.status_code == 302
    assert response["Location"] == initiative.get_absolute_url()
    assert initiative.wish == "A warm meal together, once a month"
    assert initiative.visibility == "members"
    assert initiative.status == "idea"
    assert set(initiative.themes.values_list("slug", flat=True)) == {"food", "meeting"}
    assert initiative.needs.get().description == "People to set the tables"
    lead = Participation.objects.get(initiative=initiative, user=personas.daan)
    assert (lead.role, lead.status) == ("initiator", "accepted")
    follow = client.get(response["Location"])
    assert "You keep the lead" in follow.content.decode()
    # Done: a next start begins empty.
    assert "A warm meal together" not in client.get(START).content.decode()


def test_going_back_keeps_what_i_typed_in_both_steps(as_user, personas):
    client = as_user(personas.daan)
    client.post(START, WISH)
    response = client.post(START, plan(action="back", description="Half-typed plan"))
    assert response["Location"] == f"{START}?step=1"
    step1 = client.get(f"{START}?step=1").content.decode()
    assert "A warm meal together, once a month" in step1 and 'value="Buurtdiner"' in step1
    step2 = client.get(f"{START}?step=2").content.decode()
    assert "Half-typed plan" in step2
    assert "People to set the tables" in step2


def test_a_mistake_is_shown_with_400_and_keeps_the_rest(as_user, personas):
    client = as_user(personas.daan)
    response = client.post(
        START, {"step": "1", "action": "next", "wish": "", "title": "Buurtdiner"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Buurtdiner"' in html
    assert "form-errors" in html or "errorlist" in html


def test_a_talent_need_without_a_talent_is_refused_and_kept(as_user, personas):
    client = as_user(personas.daan)
    client.post(START, WISH)
    response = client.post(START, plan(need_kind="talent", need_description="A good cook"))
    assert response.status_code == 400
    assert "A good cook" in response.content.decode()
    assert not Initiative.objects.filter(title="Buurtdiner").exists()


def test_a_theme_id_too_large_for_the_database_is_a_wrong_choice(as_user, personas):
    client = as_user(personas.daan)
    client.post(START, WISH)
    response = client.post(START, plan(themes=["99999999999999999999999"]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html and "People to set the tables" in html


def test_confirming_twice_starts_one_initiative_and_leads_to_it(as_user, personas):
    client = as_user(personas.daan)
    client.post(START, WISH)
    client.post(START, plan())
    confirm = {"step": "3", "action": "confirm", "visibility": "public"}
    first = client.post(START, confirm)
    second = client.post(START, confirm, follow=True)
    initiative = Initiative.objects.get(created_by=personas.daan)
    assert first["Location"] == initiative.get_absolute_url()
    assert second.redirect_chain == [(initiative.get_absolute_url(), 302)]
    assert "Your initiative has already started." in second.content.decode()
    assert Initiative.objects.filter(title="Buurtdiner").count() == 1


def test_a_new_start_after_the_last_one_starts_a_second_initiative(as_user, personas):
    client = as_user(personas.daan)
    confirm = {"step": "3", "action": "confirm", "visibility": "public"}
    for title in ("Buurtdiner", "Buurtfeest"):
        client.post(START, {**WISH, "title": title})
        client.post(START, plan())
        assert client.post(START, confirm).status_code == 302
    titles = Initiative.objects.filter(created_by=personas.daan).values_list("title", flat=True)
    assert sorted(titles) == ["Buurtdiner", "Buurtfeest"]


def test_the_first_need_is_one_group_and_the_step_is_named_once(as_user, personas):
    client = as_user(personas.daan)
    client.post(START, WISH)
    html = client.get(f"{START}?step=2").content.decode()
    start = html.index("<legend>What do you need first? (optional)</legend>")
    fieldset = html[html.rindex("<fieldset", 0, start) : html.index("</fieldset>", start)]
    for name in ("need_kind", "need_description", "need_talent"):
        assert f'name="{name}"' in fieldset
    assert 'name="description"' not in fieldset
    body = html[html.index("<body") :]
    assert body.count("Step 2") == 1 and 'aria-current="step"' in body
    assert "<title>Step 2 of 3: Themes and needs · Start an initiative" in html


def test_skipping_ahead_brings_me_back_to_the_first_unfinished_step(as_user, personas):
    client = as_user(personas.daan)
    response = client.get(f"{START}?step=3")
    assert response.context["step"] == 1
    response = client.post(START, {"step": "3", "action": "confirm", "visibility": "public"})
    assert response.status_code == 400
    assert response.context["step"] == 1
    assert not Initiative.objects.filter(created_by=personas.daan).exists()


@pytest.mark.parametrize("step", ["abc", "-3", "99", ""])
def test_odd_step_numbers_do_not_break_the_page(as_user, personas, step):
    assert as_user(personas.daan).get(f"{START}?step={step}").status_code == 200


def test_professionals_cannot_start_initiatives(as_user, personas):
    client = as_user(personas.anna)
    assert client.get(START).status_code == 403
    assert client.post(START, WISH).status_code == 403


def test_anonymous_visitors_log_in_first_and_outsiders_get_404(client, as_user, personas):
    response = client.get(START)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert as_user(personas.olga).get(START).status_code == 404
