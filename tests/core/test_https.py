"""HTTPS=true turns on everything a site behind a TLS-terminating proxy needs."""

import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, env: dict) -> subprocess.CompletedProcess:
    data_dir = tempfile.mkdtemp(prefix="buurtnet-https-")
    return subprocess.run(  # noqa: S603
        [sys.executable, *code.split(" ")]
        if code.startswith("manage.py")
        else [
            sys.executable,
            "-c",
            code,
        ],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "BUURTNET_DATA_DIR": data_dir, **env},
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "buurt.example.org",
}


def _settings(env: dict) -> dict:
    code = (
        "import config.settings as s; "
        "print(repr({n: getattr(s, n, None) for n in ("
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT',"
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_PROXY_SSL_HEADER')}))"
    )
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    import ast

    return ast.literal_eval(result.stdout.strip())


def test_https_switch_turns_on_cookies_redirect_hsts_and_the_proxy_header():
    values = _settings({**PRODUCTION, "HTTPS": "true"})
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_without_https_nothing_is_forced_but_secure_cookies_still_work_alone():
    plain = _settings(PRODUCTION)
    assert plain["SECURE_SSL_REDIRECT"] is None
    assert plain["SECURE_PROXY_SSL_HEADER"] is None
    assert plain["SESSION_COOKIE_SECURE"] is False
    cookies_only = _settings({**PRODUCTION, "SECURE_COOKIES": "true"})
    assert cookies_only["SESSION_COOKIE_SECURE"] is True
    assert cookies_only["SECURE_SSL_REDIRECT"] is None


def test_check_deploy_reports_no_issues_for_a_production_https_setup():
    result = _run("manage.py check --deploy", {**PRODUCTION, "HTTPS": "true"})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_check_deploy_complains_without_https():
    result = _run("manage.py check --deploy", PRODUCTION)
    assert "security.W008" in result.stdout + result.stderr  # no redirect to HTTPS


@pytest.mark.parametrize("value", ["-1", "two"])
def test_a_bad_number_of_trusted_proxies_fails_loudly(value):
    result = _run("import config.settings", {"TRUSTED_PROXIES": value})
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr


@pytest.mark.django_db
def test_behind_the_proxy_plain_http_is_redirected_and_https_gets_hsts(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    plain = client.get("/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")

    secure = client.get("/accounts/login/", headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

    # The load balancer's health check keeps working over plain HTTP.
    assert client.get("/healthz").status_code == 200
