"""Forms of the partner sharing pages: a partner's lookup, and the information governance officer's
agreement, revocation, partner and access-log filter forms (rendered as GOV.UK components by
core.forms.GovukFormRenderer)."""

from __future__ import annotations

from django import forms

from digitalcov.core.forms import GovukDateField

from ..models import PERSON_FIELDS, LawfulBasis, PartnerOrganisation, SharingAccess, SpecialCategoryCondition

FIELD_LABELS = {
    "forenames": "Forenames",
    "surname": "Surname",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "address_line_1": "Address line 1",
    "address_line_2": "Address line 2",
    "address_line_3": "Address line 3",
    "address_line_4": "Address line 4 (town)",
    "postcode": "Postcode",
    "uprn": "UPRN (Unique Property Reference Number)",
    "nhs_number": "NHS number",
    "email": "Email address",
    "phone": "Telephone number",
    "other_id": "Other identifier",
}


class LookupForm(forms.Form):
    """A partner states a purpose and identifies one person: an NHS number, or names and date of birth."""

    purpose = forms.ChoiceField(
        label="Why do you need this record?",
        widget=forms.RadioSelect(attrs={"legend_size": "m"}),
        error_messages={"required": "Select the purpose of this request"},
    )
    nhs_number = forms.CharField(
        label="NHS number", required=False, help_text="For example, 943 476 5919", max_length=20
    )
    forenames = forms.CharField(label="Forenames", required=False, max_length=200)
    surname = forms.CharField(label="Surname", required=False, max_length=200)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, past_only=True, help_text="For example, 27 3 1976"
    )

    def __init__(self, *args, purposes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [(p, p) for p in purposes]

    def clean(self):
        data = super().clean()
        has_name = data.get("forenames") and data.get("surname") and data.get("date_of_birth")
        if not data.get("nhs_number") and not has_name and not self.errors:
            self.add_error("nhs_number", "Enter an NHS number, or forenames, surname and date of birth")
        return data


class AgreementForm(forms.Form):
    """The terms of a signed data sharing agreement."""

    partner = forms.ModelChoiceField(
        queryset=PartnerOrganisation.objects.all(),
        label="Partner organisation",
        empty_label="Choose a partner",
        error_messages={"required": "Choose the partner organisation"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    purposes = forms.CharField(
        label="Purposes",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One purpose on each line, for example 'Safeguarding children'. Partners must state one.",
        error_messages={"required": "Enter at least one purpose"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis (UK GDPR Article 6)",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the lawful basis"},
    )
    special_category_condition = forms.ChoiceField(
        label="Condition for special category data (UK GDPR Article 9)",
        choices=SpecialCategoryCondition.choices,
        required=False,
    )
    allowed_fields = forms.MultipleChoiceField(
        label="Fields the partner may see",
        choices=[(f, FIELD_LABELS[f]) for f in PERSON_FIELDS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one field"},
    )
    starts_on = GovukDateField(label="Start date", help_text="For example, 1 4 2026")
    ends_on = GovukDateField(label="End date", help_text="For example, 31 3 2027")
    signatory_name = forms.CharField(
        label="Signatory's name", max_length=200, error_messages={"required": "Enter the signatory's name"}
    )
    signatory_role = forms.CharField(
        label="Signatory's role",
        max_length=200,
        help_text="For example, Caldicott Guardian or Senior Information Risk Owner",
        error_messages={"required": "Enter the signatory's role"},
    )

    def clean_purposes(self) -> list[str]:
        purposes = [" ".join(line.split()) for line in self.cleaned_data["purposes"].splitlines()]
        purposes = [p for p in purposes if p]
        if not purposes:
            raise forms.ValidationError("Enter at least one purpose")
        if any(len(p) > 200 for p in purposes):
            raise forms.ValidationError("Each purpose must be 200 characters or fewer")
        return purposes

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "End date must be the same as or after the start date")
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why is this agreement being revoked?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the agreement is being revoked"},
    )


class PartnerForm(forms.Form):
    name = forms.CharField(
        label="Name of the partner organisation",
        max_length=200,
        error_messages={"required": "Enter the name of the partner organisation"},
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if PartnerOrganisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("A partner organisation with this name already exists")
        return name


class AccessLogFilterForm(forms.Form):
    """Filters of the sharing log (a GET form, so a filtered view can be bookmarked or exported)."""

    partner = forms.ModelChoiceField(
        queryset=PartnerOrganisation.objects.all(), required=False, empty_label="All partners"
    )
    outcome = forms.ChoiceField(
        choices=[("", "Allowed and refused"), *SharingAccess.Outcome.choices], required=False
    )
    golden_record = forms.UUIDField(
        label="Golden record id",
        required=False,
        error_messages={"invalid": "Enter a golden record id like 3f2b…, 36 characters"},
    )
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "'To' must be the same as or after 'From'")
        return data
