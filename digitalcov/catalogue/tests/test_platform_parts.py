"""The catalogue's parts of the platform: tokens issued from the command line, and a publisher's data in
"Download my data" and "Delete my account"."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from digitalcov.catalogue import personal_data, services
from digitalcov.catalogue.models import ApiToken, Membership
from digitalcov.core import registry

from .factories import make_dataset

pytestmark = pytest.mark.django_db


def test_a_token_issued_on_the_command_line_acts_as_its_person(editor):
    out = io.StringIO()
    call_command("issue_catalogue_token", editor.email, "nightly upload", stdout=out)
    token = out.getvalue().strip()
    assert services.user_for_token(token) == editor
    assert token not in ApiToken.objects.get().token_hash


def test_a_revoked_or_expired_token_is_refused(editor):
    from django.utils import timezone

    record, token = services.issue_token(editor, "old", expires_at=timezone.now())
    with pytest.raises(services.NotAuthorized):
        services.user_for_token(token)
    record.delete()
    with pytest.raises(services.NotAuthorized):
        services.user_for_token(token)


def test_a_publishers_data_is_exported_and_erased_with_their_account(editor, transport):
    assert "Open data publishing" in [handler.name for handler in registry.personal_data]
    services.issue_token(editor, "script")
    make_dataset(editor, transport, name="bus-stops")
    exported = personal_data.export(editor)
    assert exported["organisations"] == [{"organisation": "Transport and highways", "role": "Editor"}]
    assert exported["api_tokens"][0]["name"] == "script"
    assert exported["dataset_changes"][0]["dataset"] == "bus-stops"
    summary = personal_data.erase(editor)
    assert "1 API token" in summary
    assert not ApiToken.objects.filter(user=editor).exists()
    assert not Membership.objects.filter(user=editor).exists()
