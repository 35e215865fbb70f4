"""GOV.UK Design System markup for Django forms.

`GovukFormRenderer` (settings.FORM_RENDERER) makes `{{ form }}` render every field as the matching GOV.UK
component: text input, textarea, select, radios, checkboxes, or the date input pattern. Hints come from
`help_text`; errors appear beside the field and, through `core/includes/error_summary.html`, in an error
summary whose links jump to the field (https://design-system.service.gov.uk/components/error-summary/).
"""

from __future__ import annotations

import datetime

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils import timezone

from .phones import PhoneError, normalise_phone
from .postcodes import PostcodeError, validate_postcode

INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
}
FIELDSET_KINDS = {"radios", "checkboxes", "date"}


def govuk_kind(widget: forms.Widget) -> str:
    """Which GOV.UK component renders this widget. By class, so subclasses (radios with hints, say)
    keep the right markup."""
    if isinstance(widget, GovukDateWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass in Django: test it first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


class GovukBoundField(BoundField):
    """A bound field that knows its GOV.UK classes, hint and error ids, and error-summary anchor."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        kind = govuk_kind(widget)
        if kind not in FIELDSET_KINDS:
            css = INPUT_CLASSES.get(kind, "govuk-input")
            if self.errors and kind != "checkbox":
                css += f" {css}--error"
            if kind == "input" and getattr(widget, "govuk_width", ""):
                css += f" govuk-input--width-{widget.govuk_width}"
            attrs["class"] = f"{css} {attrs.get('class', '')}".strip()
            described = self.described_by
            if described:
                attrs["aria-describedby"] = described
        return attrs

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def described_by(self) -> str:
        ids = []
        if self.help_text:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def govuk_kind(self) -> str:
        return govuk_kind(self.field.widget)

    @property
    def is_fieldset(self) -> bool:
        return self.govuk_kind in FIELDSET_KINDS

    @property
    def date_parts(self) -> list[dict]:
        """The day, month and year boxes of a date field, ready for the GOV.UK date input markup."""
        (whole,) = self.subwidgets
        return [
            {
                "label": label,
                "width": width,
                "id": part["attrs"]["id"],
                "name": part["name"],
                "value": part["value"],
            }
            for (label, width), part in zip(
                (("Day", 2), ("Month", 2), ("Year", 4)), whole.data["subwidgets"], strict=True
            )
        ]

    @property
    def anchor_id(self) -> str:
        """The element an error-summary link should move focus to: the first input of a group."""
        return f"{self.auto_id}_0" if self.is_fieldset else self.auto_id


class GovukFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = GovukBoundField


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes (https://design-system.service.gov.uk/components/date-input/)."""

    def __init__(self, attrs=None):
        super().__init__(
            [
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
            ],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with errors that say which part is wrong."""

    widget = GovukDateWidget

    def __init__(self, *, past_only: bool = False, **kwargs):
        self.past_only = past_only
        error_messages = {"incomplete": "Enter a day, month and year", "invalid": "Enter a real date"}
        fields = [forms.CharField(), forms.CharField(), forms.CharField()]
        super().__init__(fields, error_messages=error_messages, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"Date must include a {' and '.join(missing)}")
        if not all(part.isdigit() for part in (day, month, year)) or len(year) != 4:
            raise forms.ValidationError("Enter a real date")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as error:
            raise forms.ValidationError("Enter a real date") from error
        if value.year < 1837:  # civil registration in England and Wales began on 1 July 1837
            raise forms.ValidationError("Year must be 1837 or later")
        if self.past_only and value > timezone.localdate():
            raise forms.ValidationError("Date must be today or in the past")
        return value


class PostcodeField(forms.CharField):
    """A UK postcode: normalised ("cv15rr" -> "CV1 5RR") and checked against the real postcode list."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return validate_postcode(value)
        except PostcodeError as error:
            raise forms.ValidationError(str(error)) from error


class PhoneField(forms.CharField):
    """A telephone number, stored in E.164 form ("+447700900982"); see core.phones."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return normalise_phone(value)
        except PhoneError as error:
            raise forms.ValidationError(str(error)) from error
