"""Forms of the data steward's pages (issue 5, sections 1 and 6), rendered as GOV.UK components by the
project's form renderer (core/forms.py). Each error message says what to do, as the GOV.UK Design
System's error message guidance asks."""

from __future__ import annotations

from django import forms

from .models import PERSON_FIELDS, PairDecision, SourceSystem
from .services.imports import ID_FIELD, READERS

FIELD_LABELS = {
    ID_FIELD: "The source's own record id",
    "forenames": "Forenames",
    "surname": "Surname",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "address_line_1": "Address line 1",
    "address_line_2": "Address line 2",
    "address_line_3": "Address line 3",
    "address_line_4": "Town or city",
    "postcode": "Postcode",
    "uprn": "UPRN (Unique Property Reference Number)",
    "nhs_number": "NHS number",
    "email": "Email address",
    "phone": "Phone number",
    "other_id": "Another identifier the sources share",
}


class SourceForm(forms.Form):
    name = forms.CharField(
        label="Name of the source system",
        max_length=100,
        error_messages={"required": "Enter the name of the source system"},
    )
    owning_service = forms.CharField(
        label="Service that owns it",
        max_length=200,
        help_text="For example, Revenues and benefits",
        error_messages={"required": "Enter the service that owns the source system"},
    )
    trust_level = forms.IntegerField(
        label="Trust level",
        min_value=1,
        max_value=10,
        help_text="A whole number from 1 (least trusted) to 10. Golden records prefer values from more "
        "trusted sources.",
        error_messages={
            "required": "Enter a trust level from 1 to 10",
            "invalid": "Trust level must be a whole number from 1 to 10",
            "min_value": "Trust level must be a whole number from 1 to 10",
            "max_value": "Trust level must be a whole number from 1 to 10",
        },
    )
    trust_level.widget.govuk_width = "2"


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(
        label="Source system",
        queryset=SourceSystem.objects.all(),
        empty_label="Choose a source system",
        error_messages={"required": "Select the source system the file comes from"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV file with a header row, a Parquet file, or a JSON file (an array of objects or one "
        "object a line)",
        widget=forms.FileInput(attrs={"class": "govuk-file-upload"}),
        error_messages={"required": "Select a file to import", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in (*READERS, "jsonl", "ndjson"):
            raise forms.ValidationError("The selected file must be a CSV, Parquet or JSON file")
        return upload


class MappingForm(forms.Form):
    """One select per field of the person schema, listing the file's columns."""

    def __init__(self, *args, columns: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file"), *((column, column) for column in columns)]
        for field in (ID_FIELD, *PERSON_FIELDS):
            self.fields[field] = forms.ChoiceField(
                label=FIELD_LABELS[field], choices=choices, required=field == ID_FIELD
            )
        self.fields[ID_FIELD].error_messages["required"] = "Select the column that holds the record id"
        self.fields[ID_FIELD].help_text = "Each row's id in the source system; it must be unique"

    def mapping(self) -> dict[str, str]:
        return {field: column for field, column in self.cleaned_data.items() if column}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Are these records the same person?",
        choices=[
            (PairDecision.Outcome.SAME, "Yes, the same person (accept the match)"),
            (PairDecision.Outcome.DIFFERENT, "No, different people (reject the match)"),
        ],
        widget=forms.RadioSelect(attrs={"legend_size": "m"}),
        error_messages={"required": "Select whether these records are the same person"},
    )
    reason = forms.CharField(
        label="Reason for your decision",
        help_text="Other stewards will read this. Do not copy personal details into it.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for your decision"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for your decision")
        return reason


class SplitForm(forms.Form):
    records = forms.MultipleChoiceField(
        label="Which records are a different person?",
        help_text="They will move to a new golden record. Leave at least one record here.",
        widget=forms.CheckboxSelectMultiple(attrs={"legend_size": "m"}),
        error_messages={"required": "Select the records to move to a new golden record"},
    )
    reason = forms.CharField(
        label="Why are they a different person?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why these records are a different person"},
    )

    def __init__(self, *args, records: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].choices = [(str(pk), label) for pk, label in records]
        self.count = len(records)

    def clean_records(self):
        chosen = self.cleaned_data["records"]
        if len(chosen) >= self.count:
            raise forms.ValidationError("Leave at least one record in this golden record")
        return [int(record) for record in chosen]


class MergeForm(forms.Form):
    other = forms.UUIDField(
        label="Id of the golden record to merge with",
        help_text="For example, 3f2b8c1e-5d4a-4c6b-9e2f-1a7d0c9b8e6f",
        error_messages={
            "required": "Enter the id of the golden record to merge with",
            "invalid": "Enter a golden record id in the format shown",
        },
    )
    reason = forms.CharField(
        label="Why are they the same person?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why these golden records are the same person"},
    )
