"""Forms for the booking journey (one question per page) and the site staff area."""

from __future__ import annotations

from django import forms

from digitalcov.core.forms import GovukBoundField, GovukDateField

from .models import VehicleType, WasteType
from .registrations import RegistrationError, normalise_registration
from .services import BookingError, normalise_permit


class HintedRadioSelect(forms.RadioSelect):
    """GOV.UK radios where each option may carry a hint, and some may be shown but disabled."""

    def __init__(self, *args, hints: dict | None = None, disabled: set | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}
        self.disabled_values = disabled or set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        key = str(value)
        if key in self.hints:
            option["attrs"]["hint"] = self.hints[key]
        if key in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class FirstEnabledOptionBoundField(GovukBoundField):
    """Radios whose error-summary link goes to the first option that can be chosen.

    The GOV.UK error summary moves focus to the first radio; when that option is disabled (a fully
    booked first day) the link would lead nowhere, so point it at the first enabled one instead.
    """

    @property
    def anchor_id(self) -> str:
        disabled = getattr(self.field.widget, "disabled_values", set())
        for index, (value, _label) in enumerate(self.field.choices):
            if str(value) not in disabled:
                return f"{self.auto_id}_{index}"
        return super().anchor_id


class SiteForm(forms.Form):
    site = forms.ChoiceField(label="Recycling centre", widget=HintedRadioSelect)

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [(str(site.pk), site.name) for site in sites]
        self.fields["site"].widget.hints = {str(site.pk): site.address_one_line for site in sites}
        self.fields["site"].error_messages["required"] = "Select the recycling centre you want to visit"


class DateForm(forms.Form):
    """The day of the visit. Fully booked days are shown but cannot be chosen, except `keep_date`: the
    day of the booking being changed, where the resident already holds a place."""

    date = forms.ChoiceField(
        label="Day", widget=HintedRadioSelect, bound_field_class=FirstEnabledOptionBoundField
    )

    def __init__(self, *args, days=(), keep_date: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["date"]
        field.choices = [(day.date.isoformat(), f"{day.date:%A %-d %B}") for day in days]
        hints = {}
        for day in days:
            key = day.date.isoformat()
            places = _places(day.places_left) if day.places_left else "Fully booked"
            if key == keep_date:
                current = "Your current booking is on this day"
                places = f"{current}. {places}" if day.places_left else current
            hints[key] = places
        field.widget.hints = hints
        field.widget.disabled_values = {
            day.date.isoformat() for day in days if not day.places_left and day.date.isoformat() != keep_date
        }
        field.error_messages["required"] = "Select the day you want to visit"
        field.help_text = "We only show days the centre is open. Places left are for the whole day."

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value in self.fields["date"].widget.disabled_values:
            raise forms.ValidationError("That day is fully booked. Select another day")
        return value


class SlotForm(forms.Form):
    slot = forms.ChoiceField(label="Arrival time", widget=HintedRadioSelect)

    def __init__(self, *args, slots=(), keep_key: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        offered = [slot for slot in slots if slot.places_left > 0 or slot.key == keep_key]
        field.choices = [(slot.key, _time_range(slot)) for slot in offered]
        field.widget.hints = {
            slot.key: "Your current booking" if slot.key == keep_key else _places(slot.places_left)
            for slot in offered
        }
        field.error_messages["required"] = "Select the time you want to arrive"
        field.help_text = "Arrive during your time. Times that are fully booked are not shown."


class RegistrationForm(forms.Form):
    registration = forms.CharField(
        label="Vehicle registration number",
        help_text="For example, AB12 CDE. This is on your number plate.",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter your vehicle registration number"},
    )
    registration.widget.govuk_width = "10"

    def clean_registration(self):
        try:
            return normalise_registration(self.cleaned_data["registration"])
        except RegistrationError as error:
            raise forms.ValidationError(str(error)) from error


class VehicleTypeForm(forms.Form):
    vehicle_type = forms.ChoiceField(
        label="Vehicle type",
        choices=VehicleType.choices,
        widget=HintedRadioSelect(
            hints={
                VehicleType.CAR_WITH_TRAILER: "You will need a trailer permit",
                VehicleType.VAN: "You will need a van permit",
                VehicleType.PICK_UP: "You will need a van permit",
            }
        ),
        error_messages={"required": "Select the type of vehicle you are bringing"},
    )


class PermitForm(forms.Form):
    permit_number = forms.CharField(
        label="Permit number",
        help_text="Vans, pick-ups and trailers need a council permit. "
        "The permit number is 4 to 12 letters and numbers, like VP1234.",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter your permit number"},
    )
    permit_number.widget.govuk_width = "10"

    def clean_permit_number(self):
        try:
            return normalise_permit(self.cleaned_data["permit_number"])
        except BookingError as error:
            raise forms.ValidationError(str(error)) from error


class WasteForm(forms.Form):
    waste_types = forms.MultipleChoiceField(
        label="Waste you are bringing",
        help_text="Select all that apply.",
        choices=WasteType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what you are bringing"},
    )


class ConfirmForm(forms.Form):
    """No questions: carries the error when the booking cannot be made."""


class StaffDayForm(forms.Form):
    site = forms.ChoiceField(label="Site")
    day = GovukDateField(label="Date", help_text="For example, 24 11 2026", required=False)

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [(str(site.pk), site.name) for site in sites]


class FindBookingForm(forms.Form):
    q = forms.CharField(
        label="Booking reference or vehicle registration",
        help_text="For example, TIP-7K3M-9QXA or AB12 CDE",
        max_length=30,
        error_messages={"required": "Enter a booking reference or vehicle registration"},
    )
    q.widget.govuk_width = "20"


def _places(count: int) -> str:
    return "1 place left" if count == 1 else f"{count} places left"


def _time_range(slot) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(slot.start):%-I:%M%p} to {timezone.localtime(slot.end):%-I:%M%p}".lower()
