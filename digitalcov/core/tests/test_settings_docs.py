"""Every environment variable the settings read is documented, and production settings pass
Django's deployment checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def environment_variables_read_by_settings() -> set[str]:
    source = (ROOT / "digitalcov" / "settings.py").read_text()
    return set(re.findall(r'env(?:_bool|_int|_list)?\(\s*"([A-Z_]+)"', source))


def test_settings_read_some_environment_variables():
    assert {
        "DATABASE_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "COUNCIL_NAME",
    } <= environment_variables_read_by_settings()


def test_every_setting_is_in_env_example_and_docs():
    example = (ROOT / ".env.example").read_text()
    docs = (ROOT / "docs" / "settings.md").read_text()
    for name in environment_variables_read_by_settings():
        assert re.search(rf"^{name}=", example, re.M), f"{name} missing from .env.example"
        assert f"`{name}`" in docs, f"{name} missing from docs/settings.md"


def test_check_deploy_is_clean_with_production_settings():
    # The browser fixtures allow async-unsafe calls in this process; production never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    production = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "digitalcov.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x7Kq2-" * 10,
        "ALLOWED_HOSTS": "myaccount.coventry.gov.uk",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_COOKIES": "true",
        "SECURE_HSTS_SECONDS": "31536000",
    }
    result = subprocess.run(
        [sys.executable, "-m", "digitalcov", "check", "--deploy", "--fail-level", "WARNING"],
        env=production,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
