"""Forms for the account journeys. Labels, hints and error messages follow the GOV.UK Design System
(https://design-system.service.gov.uk/patterns/email-addresses/, .../patterns/addresses/,
.../patterns/telephone-numbers/); `{{ form }}` renders them as GOV.UK components (core/forms.py)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError

from digitalcov.core.forms import PhoneField, PostcodeField

from .models import User

EMAIL_MESSAGES = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
    "max_length": "Email address must be 254 characters or fewer",
}


def email_field(label: str = "Email address", **kwargs) -> forms.EmailField:
    """An email address field with GOV.UK error messages."""
    return forms.EmailField(
        label=label,
        max_length=254,
        error_messages=EMAIL_MESSAGES,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        **kwargs,
    )


def password_field(label: str, autocomplete: str, required_message: str, help_text: str = ""):
    """A password field: not stripped, with autocomplete set for password managers."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        strip=False,
        error_messages={"required": required_message},
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
    )


CHOOSING_HINT = "Your password must be at least 10 characters. Do not use a password you use anywhere else."


class NewPasswordMixin:
    """A new password typed twice and checked with the site's password validators."""

    def clean_new_password(self, user) -> str:
        """Check the two new passwords match and pass the password validators."""
        password = self.cleaned_data.get("password", "")
        confirm = self.cleaned_data.get("password_confirm", "")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", "The passwords you entered do not match")
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password", error)
        return password


class RegisterForm(NewPasswordMixin, forms.Form):
    """Create an account."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = email_field(help_text="We will send you a link to confirm your email address.")
    password = password_field("Create a password", "new-password", "Enter a password", CHOOSING_HINT)
    password_confirm = password_field("Confirm your password", "new-password", "Confirm your password")

    def clean(self):
        cleaned = super().clean()
        # The validators compare the password with the name and email, so build an unsaved user.
        candidate = User(email=cleaned.get("email"), full_name=cleaned.get("full_name", ""))
        self.clean_new_password(candidate)
        return cleaned


class SignInForm(forms.Form):
    """Sign in."""

    email = email_field()
    password = password_field("Password", "current-password", "Enter your password")


class PasswordResetRequestForm(forms.Form):
    """Ask for a reset link."""

    email = email_field(help_text="We will email you a link to reset your password.")


class GovukSetPasswordForm(SetPasswordForm):
    """Django's set-password form (used by the password reset link) with GOV.UK wording."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"] = password_field(
            "New password", "new-password", "Enter a new password", CHOOSING_HINT
        )
        self.fields["new_password2"] = password_field(
            "Confirm your new password", "new-password", "Confirm your new password"
        )
        self.error_messages["password_mismatch"] = "The passwords you entered do not match"  # noqa: S105


class ChangePasswordForm(NewPasswordMixin, forms.Form):
    """Change password, checking the current one first."""

    current_password = password_field("Current password", "current-password", "Enter your current password")
    password = password_field("New password", "new-password", "Enter a new password", CHOOSING_HINT)
    password_confirm = password_field(
        "Confirm your new password", "new-password", "Confirm your new password"
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        current = self.cleaned_data["current_password"]
        if not self.user.check_password(current):
            raise ValidationError("Your current password is incorrect")
        return current

    def clean(self):
        cleaned = super().clean()
        self.clean_new_password(self.user)
        return cleaned


class NameForm(forms.Form):
    """Change name."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={
            "required": "Enter your full name",
            "max_length": "Full name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )


class AddressForm(forms.Form):
    """Change address; the postcode is checked against the postcode list and normalised."""

    address_line_1 = forms.CharField(
        label="Address line 1",
        max_length=100,
        error_messages={
            "required": "Enter address line 1, typically the building and street",
            "max_length": "Address line 1 must be 100 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)",
        max_length=100,
        required=False,
        error_messages={"max_length": "Address line 2 must be 100 characters or fewer"},
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    town = forms.CharField(
        label="Town or city",
        max_length=60,
        error_messages={
            "required": "Enter town or city",
            "max_length": "Town or city must be 60 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    postcode = PostcodeField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter postcode", "max_length": "Enter a real postcode, like CV1 5RR"},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].widget.govuk_width = "20"
        self.fields["postcode"].widget.govuk_width = "10"


class PhoneForm(forms.Form):
    """Change telephone number; stored in E.164 form (see `phones.py`)."""

    phone = PhoneField(
        label="Telephone number",
        required=False,
        max_length=30,
        help_text=(
            "For international numbers include the country code. Leave this empty to remove your number."
        ),
        error_messages={"max_length": "Enter a telephone number, like 01632 960 001"},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.govuk_width = "20"


class EmailChangeForm(forms.Form):
    """Ask to change the email address."""

    email = email_field(
        label="New email address",
        help_text="We will send a link to this address. Your email address changes when you select it.",
    )


class ConfirmPasswordForm(forms.Form):
    """Asked before something that cannot be undone, to check it is really the account holder."""

    password = password_field("Enter your password to confirm", "current-password", "Enter your password")

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("Your password is incorrect")
        return password
