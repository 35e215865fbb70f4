"""The order journey's shape: which question pages a certificate type needs, in order, and what a
complete set of answers looks like. Answers live in the session until the resident confirms."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms as django_forms

from . import forms
from .models import CertificateType

SESSION_KEY = "certificate_order"


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[django_forms.Form]
    heading: str  # the page's h1 (empty when the single question's label is the heading)
    title: str  # the <title>


DETAIL_STEPS: dict[str, list[Step]] = {
    CertificateType.BIRTH: [
        Step("person", forms.BirthPersonForm, "Whose birth certificate do you need?", "Whose birth"),
        Step("place", forms.BirthPlaceForm, "Where were they born?", "Place of birth"),
        Step("parents", forms.BirthParentsForm, "Their parents’ details", "Parents’ details"),
    ],
    CertificateType.DEATH: [
        Step("person", forms.DeathPersonForm, "Whose death certificate do you need?", "Whose death"),
        Step("event", forms.DeathEventForm, "When and where did they die?", "Date and place of death"),
    ],
    CertificateType.MARRIAGE: [
        Step("parties", forms.PartiesForm, "Who got married?", "Who got married"),
        Step("event", forms.CeremonyForm, "When and where was the marriage?", "Date and place"),
    ],
    CertificateType.CIVIL_PARTNERSHIP: [
        Step("parties", forms.PartiesForm, "Who formed the civil partnership?", "Who formed it"),
        Step("event", forms.CeremonyForm, "When and where was it formed?", "Date and place"),
    ],
}

# After the details: (url name, the answer keys that page fills).
LATER_STEPS = [
    ("certificates:copies", ["copies"]),
    ("certificates:service", ["service_level"]),
    ("certificates:address", ["address_line_1", "town", "postcode"]),
]


def detail_step(certificate_type: str, slug: str) -> Step | None:
    return next((step for step in DETAIL_STEPS.get(certificate_type, []) if step.slug == slug), None)


def required_keys(form_class: type[django_forms.Form]) -> list[str]:
    return [name for name, field in form_class.base_fields.items() if field.required]


def first_missing(answers: dict) -> tuple[str, list] | None:
    """The first page (url name and args) whose required answers are missing, or None when complete."""
    certificate_type = answers.get("certificate_type")
    if certificate_type not in DETAIL_STEPS:
        return ("certificates:type", [])
    for step in DETAIL_STEPS[certificate_type]:
        if any(answers.get(key) in (None, "") for key in required_keys(step.form)):
            return ("certificates:details", [step.slug])
    for url_name, keys in LATER_STEPS:
        if any(answers.get(key) in (None, "") for key in keys):
            return (url_name, [])
    return None


def to_session(cleaned: dict) -> dict:
    """Form data in a JSON-safe form (dates as ISO strings)."""
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in cleaned.items()
    }


def from_session(answers: dict, form_class: type[django_forms.Form]) -> dict:
    """Initial values for a form from the session (dates back to dates)."""
    initial = {}
    for name, field in form_class.base_fields.items():
        value = answers.get(name)
        if value in (None, ""):
            continue
        if hasattr(field, "past_only") and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        initial[name] = value
    return initial
