"""The questions of the order journey, one logical group per page, and the registrar's forms."""

from __future__ import annotations

from django import forms

from digitalcov.core.forms import GovukDateField, PostcodeField

from . import services
from .models import CertificateType, OrderStatus, ServiceLevel

PLACE_HINT = (
    "We can only provide certificates for events registered in Coventry. "
    "Give the hospital, building or address, for example University Hospital, Clifford Bridge Road"
)


def _text(
    label: str,
    *,
    required: bool = True,
    help_text: str = "",
    max_length: int = 150,
    field_class=forms.CharField,
    **attrs,
):
    """A text question with GOV.UK error messages ("Enter ...", "... must be N characters or fewer")."""
    name = label.replace(" (optional)", "")
    return field_class(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.TextInput(attrs={"label_size": "s", **attrs}),
        error_messages={
            "required": f"Enter {name[0].lower()}{name[1:]}",
            "max_length": f"{name} must be {max_length} characters or fewer",
        },
    )


def _date(label: str, hint: str, required_message: str) -> GovukDateField:
    field = GovukDateField(label=label, past_only=True, help_text=hint)
    field.error_messages["required"] = required_message
    return field


class CertificateTypeForm(forms.Form):
    certificate_type = forms.ChoiceField(
        label="Certificate",
        choices=CertificateType.choices,
        widget=forms.RadioSelect(attrs={"legend_size": "m"}),
        help_text="The birth, death, marriage or civil partnership must have been registered in Coventry.",
        error_messages={"required": "Select which certificate you need"},
    )


class BirthPersonForm(forms.Form):
    subject_full_name = _text("Full name at birth", autocomplete="off")
    event_date = _date("Date of birth", "For example, 27 3 1985", "Enter the date of birth")


class BirthPlaceForm(forms.Form):
    event_place = _text("Place of birth", help_text=PLACE_HINT, max_length=200)


class BirthParentsForm(forms.Form):
    father_full_name = _text(
        "Father's or parent's full name", required=False, help_text="Leave blank if not on the register"
    )
    mother_full_name = _text("Mother's full name")
    mother_maiden_surname = _text("Mother's maiden surname", max_length=100)


class DeathPersonForm(forms.Form):
    subject_full_name = _text("Full name of the person who died", autocomplete="off")
    age_at_death = forms.IntegerField(
        label="Age at death (optional)",
        required=False,
        min_value=0,
        max_value=130,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "label_size": "s"}),
        error_messages={
            "invalid": "Age at death must be a number, like 84",
            "min_value": "Age at death must be 0 or more",
            "max_value": "Age at death must be 130 or less",
        },
    )
    age_at_death.widget.govuk_width = "3"


class DeathEventForm(forms.Form):
    event_date = _date("Date of death", "For example, 27 3 2024", "Enter the date of death")
    event_place = _text("Place of death", help_text=PLACE_HINT, max_length=200)


class PartiesForm(forms.Form):
    party_one_full_name = _text("First person's full name at the time", autocomplete="off")
    party_two_full_name = _text("Second person's full name at the time", autocomplete="off")


class CeremonyForm(forms.Form):
    event_date = _date("Date of the ceremony", "For example, 14 6 2010", "Enter the date of the ceremony")
    event_place = _text("Place of the ceremony", help_text=PLACE_HINT, max_length=200)


class CopiesForm(forms.Form):
    copies = forms.IntegerField(
        label="Number of copies",
        min_value=1,
        max_value=services.MAX_COPIES,
        help_text=f"You can order up to {services.MAX_COPIES} copies",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "label_size": "m"}),
        error_messages={
            "required": "Enter how many copies you need",
            "invalid": "Number of copies must be a number, like 2",
            "min_value": "Number of copies must be 1 or more",
            "max_value": f"Number of copies must be {services.MAX_COPIES} or fewer",
        },
    )
    copies.widget.govuk_width = "2"


class ServiceLevelForm(forms.Form):
    service_level = forms.ChoiceField(
        label="Service",
        widget=forms.RadioSelect(attrs={"legend_size": "m"}),
        error_messages={"required": "Select how quickly you need it"},
    )

    def __init__(self, *args, certificate_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for level in ServiceLevel:
            fee = services.current_fee(certificate_type, level)
            if fee is not None:
                choices.append((level.value, f"{level.label}: {services.pounds(fee.amount_pence)} a copy"))
        self.fields["service_level"].choices = choices
        # Each radio gets a hint with the turnaround (core's radios template shows `hint`).
        self.fields["service_level"].widget.option_hints = {
            level.value: services.TURNAROUND[level] for level in ServiceLevel
        }
        widget = self.fields["service_level"].widget
        original = widget.create_option

        def create_option(name, value, label, selected, index, subindex=None, attrs=None):
            option = original(name, value, label, selected, index, subindex, attrs)
            option["attrs"]["hint"] = widget.option_hints.get(str(value), "")
            return option

        widget.create_option = create_option


class DeliveryAddressForm(forms.Form):
    address_line_1 = _text("Address line 1", max_length=100, autocomplete="address-line1")
    address_line_2 = _text("Address line 2 (optional)", required=False, max_length=100)
    town = _text("Town or city", max_length=60, autocomplete="address-level2")
    postcode = _text("Postcode", max_length=10, autocomplete="postal-code", field_class=PostcodeField)
    postcode.widget.govuk_width = "10"


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note",
        help_text="Notes are only seen by registrars",
        widget=forms.Textarea(attrs={"rows": 3, "label_size": "m"}),
        error_messages={"required": "Enter a note"},
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Change status to",
        widget=forms.RadioSelect(attrs={"legend_size": "m"}),
        error_messages={
            "required": "Select the new status",
            "invalid_choice": "That status change is not allowed for this order",
        },
    )

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {OrderStatus.PAID: "Paid (payment taken at the register office)"}
        self.fields["status"].choices = [
            (status, labels.get(status, OrderStatus(status).label))
            for status in services.allowed_next_statuses(order)
        ]
