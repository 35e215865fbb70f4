"""Platform promises: the embedded database's settings, session expiry, the API docs, logs without
personal data, and administrators editing what the issue says they edit."""

import datetime
import logging
import os
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from digitalcov.core import roles
from digitalcov.core.testing.factories import make_resident, make_staff


def test_the_default_database_is_sqlite_in_var_with_wal_and_foreign_keys(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DIGITALCOV_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "digitalcov.settings"})
    code = (
        "from django.db import connection; c = connection.cursor();"
        "print(connection.settings_dict['NAME']);"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0]);"
        "print(c.execute('PRAGMA foreign_keys').fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-m", "digitalcov", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    name, journal_mode, foreign_keys = result.stdout.split()[-3:]
    assert name == str(tmp_path / "digitalcov.sqlite3")
    assert (journal_mode, foreign_keys) == ("wal", "1")


@pytest.mark.django_db
def test_an_idle_session_expires_and_the_resident_must_sign_in_again(client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client.force_login(make_resident())
    assert client.get("/my-account/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/my-account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in")


@pytest.mark.django_db
def test_the_api_describes_itself_with_openapi(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "DigitalCov API"
    assert any(path.startswith("/api/tips/") for path in schema["paths"])
    assert any(path.startswith("/api/certificates/") for path in schema["paths"])
    assert client.get("/api/docs").status_code == 200


@pytest.mark.django_db
def test_application_logs_hold_no_personal_data(client, caplog):
    """Sign-up, a failed sign-in and a 404 full of an email address leave nothing personal in the log."""
    caplog.set_level(logging.DEBUG)
    client.post(
        "/account/register",
        {
            "full_name": "Priya Shah",
            "email": "priya.shah@example.com",
            "password": "a-long-secret-phrase-9",
            "password_confirm": "a-long-secret-phrase-9",
        },
    )
    client.post("/account/sign-in", {"email": "priya.shah@example.com", "password": "wrong-password-123"})
    logged = caplog.text
    for personal in ("priya.shah@example.com", "Priya Shah", "a-long-secret-phrase-9", "wrong-password-123"):
        assert personal not in logged


@pytest.mark.django_db
def test_administrators_edit_recycling_sites_in_the_admin_and_other_roles_cannot(client):
    client.force_login(make_staff(roles.ADMINISTRATOR))
    assert client.get("/admin/tips/site/add/").status_code == 200
    assert client.get("/admin/certificates/fee/").status_code == 200
    assert client.get("/admin/core/auditevent/").status_code == 200
    for role in (roles.REGISTRAR, roles.RECYCLING_SITE_STAFF, roles.CUSTOMER_SERVICE_AGENT):
        client.force_login(make_staff(role))
        assert client.get("/admin/tips/site/add/").status_code == 302  # not admin staff: to admin sign-in
