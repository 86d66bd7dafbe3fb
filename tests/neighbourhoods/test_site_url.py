"""Where absolute links start: the address a request came in on, or SITE_URL without a request.

SITE_URL itself defaults to where `buurtnet serve` (and so `make run`) listens: HOST and PORT.
"""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse

from buurtnet.neighbourhoods import selectors
from tests.factories import HomeFactory, InviteCodeFactory
from tests.neighbourhoods.conftest import text

ROOT = Path(__file__).resolve().parents[2]


def site_url_with(env: dict[str, str]) -> str:
    """SITE_URL as config.settings reads it from this environment, in a fresh interpreter."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.SITE_URL)",
        ],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "9001"}, "http://127.0.0.1:9001"),
        ({"HOST": "0.0.0.0", "PORT": "8080"}, "http://127.0.0.1:8080"),  # noqa: S104
        ({"HOST": "::", "PORT": "8080"}, "http://127.0.0.1:8080"),
        ({"HOST": "::1", "PORT": "8080"}, "http://[::1]:8080"),
        ({"HOST": "buurt.local"}, "http://buurt.local:8000"),
        ({"SITE_URL": "https://buurt.example.org/", "PORT": "9001"}, "https://buurt.example.org"),
    ],
)
def test_site_url_follows_where_the_server_listens_unless_set(env, expected, tmp_path):
    env = {**env, "BUURTNET_DATA_DIR": str(tmp_path)}
    assert site_url_with(env) == expected


def test_without_a_request_links_start_with_site_url():
    assert selectors.site_url() == settings.SITE_URL
    assert selectors.invite_signup_url("ABCD-EFGH") == f"{settings.SITE_URL}/join/?code=ABCD-EFGH"


@override_settings(ALLOWED_HOSTS=["buurt.example.org"])
def test_with_a_request_links_start_where_it_came_in():
    request = RequestFactory().get("/", HTTP_HOST="buurt.example.org", secure=True)
    assert selectors.site_url(request) == "https://buurt.example.org"
    site = selectors.site_url(request)
    assert (
        selectors.invite_signup_url("ABCD-EFGH", site=site)
        == "https://buurt.example.org/join/?code=ABCD-EFGH"
    )


@pytest.fixture
def code(personas):
    home = HomeFactory(building=personas.elskamp, number="5")
    return InviteCodeFactory(neighbourhood=personas.ede, home=home, code="SITE-CODE")


def _get(client, name, host, code):
    return client.get(
        reverse(f"neighbourhoods:{name}", args=["ede-zuid"]),
        {"building": code.home.building_id, "status": "active"},
        HTTP_HOST=host,
    )


@override_settings(
    ALLOWED_HOSTS=["127.0.0.1", "buurt.example.org"], SITE_URL="https://elsewhere.example"
)
@pytest.mark.parametrize("host", ["127.0.0.1:9000", "buurt.example.org"])
def test_slips_and_csv_use_the_address_the_host_came_in_on(client, personas, code, host):
    client.force_login(personas.henk)
    sheet = text(_get(client, "invites_print", host, code))
    assert f"http://{host}/join/?code=SITE-CODE" in sheet
    assert "elsewhere.example" not in sheet

    rows = list(csv.reader(io.StringIO(text(_get(client, "invites_csv", host, code)))))
    assert rows[1][-1] == f"http://{host}/join/?code=SITE-CODE"


@override_settings(SITE_URL="https://buurt.example.org")
def test_the_invites_command_has_no_request_and_uses_site_url(personas, code, tmp_path):
    target = tmp_path / "codes.csv"
    call_command(
        "invites",
        "--neighbourhood=ede-zuid",
        "--reprint",
        f"--output={target}",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert "https://buurt.example.org/join/?code=SITE-CODE" in target.read_text()
