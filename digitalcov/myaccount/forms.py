"""Forms for My requests and the customer service area."""

from django import forms
from django.contrib.auth import get_user_model

from digitalcov.core.forms import PhoneField, PostcodeField


class FindResidentForm(forms.Form):
    query = forms.CharField(
        label="Find a resident",
        help_text="Search by name, email address, phone number or postcode",
        max_length=100,
        error_messages={"required": "Enter a name, email address, phone number or postcode"},
        widget=forms.TextInput(attrs={"label_size": "m"}),
    )


class RecordResidentForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter the resident's full name"}
    )
    address_line_1 = forms.CharField(
        label="Address line 1",
        max_length=100,
        error_messages={"required": "Enter address line 1, typically the building and street"},
    )
    address_line_2 = forms.CharField(label="Address line 2 (optional)", max_length=100, required=False)
    town = forms.CharField(
        label="Town or city",
        max_length=60,
        initial="Coventry",
        error_messages={"required": "Enter town or city"},
    )
    postcode = PostcodeField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter a postcode"},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    phone = PhoneField(label="Phone number (optional)", max_length=30, required=False)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        help_text="Leave blank if the resident does not have one",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "There is already an account with this email address: search for it instead"
            )
        return email
