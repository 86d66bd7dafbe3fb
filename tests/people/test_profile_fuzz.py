"""Whatever a browser (or anything else) sends to the profile form, the answer is never a 500."""

from urllib.parse import urlencode

from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtnet.people.models import User
from buurtnet.people.services import PRIVACY_FIELDS

PROFILE = "/me/profile/"

text = st.text(max_size=400)
values = st.one_of(
    text,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        ["nl", "en", "ar", "1", "2", "0", "-1", "on", "", "\x00", "999999999999999999999"]
    ),
)
form_data = st.fixed_dictionaries(
    {
        "display_name": text,
        "preferred_language": values,
        "talents_other": text,
        "passions": st.text(max_size=1200),
        "languages": st.lists(values, max_size=4),
        "talents": st.lists(values, max_size=4),
    },
    optional={name: values for name in (*PRIVACY_FIELDS, "remove_photo")},
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=form_data)
def test_the_profile_form_never_fails_on_odd_input(personas, data):
    # An earlier example may have saved another language; each example reads English.
    User.objects.filter(pk=personas.daan.pk).update(preferred_language="en")
    client = Client()
    client.force_login(personas.daan)
    body = urlencode(data, doseq=True)
    response = client.post(PROFILE, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        html = response.content.decode()
        assert "Your profile is not saved yet" in html
        # An empty text input renders without a value attribute.
        for name in ("display_name", "talents_other"):
            if data[name]:
                assert f'name="{name}" value="{escape(data[name])}"' in html
        assert f"{escape(data['passions'])}</textarea>" in html
