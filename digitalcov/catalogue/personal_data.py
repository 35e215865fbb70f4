"""How the catalogue plugs into "Download my data" and "Delete my account": a person's memberships of
publishing organisations, their API tokens, and the dataset changes they made."""

from __future__ import annotations

from django.db import transaction

from .models import ApiToken, Membership, MetadataChange


def export(user) -> dict:
    """The person's organisations and roles, their API tokens (names and dates, never the token), and
    the changes they made to datasets."""
    return {
        "organisations": [
            {"organisation": m.organisation.title, "role": m.get_role_display()}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        "dataset_changes": [
            {"dataset": c.dataset.name, "action": c.action, "at": c.at.isoformat()}
            for c in MetadataChange.objects.filter(actor=user).select_related("dataset")
        ],
    }


def erase(user) -> str:
    """Revoke the person's tokens and end their memberships. The history of the public datasets they
    changed is kept (it records what was published, and the account it points to no longer names them)."""
    with transaction.atomic():
        tokens, _ = ApiToken.objects.filter(user=user).delete()
        memberships, _ = Membership.objects.filter(user=user).delete()
    return (
        f"We revoked {tokens} API token(s) and ended {memberships} organisation membership(s). We keep the "
        "history of changes you made to published datasets, without your name."
    )
