"""The resource page's query: which page of the table, and which sheet of a workbook."""

from __future__ import annotations

from django import forms


class PreviewQueryForm(forms.Form):
    """`?page=` and `?sheet=`; a bad page number is reported in the GOV.UK error summary."""

    page = forms.IntegerField(
        label="Page",
        min_value=1,
        max_value=10_000_000,
        required=False,
        error_messages={
            "invalid": "Enter the page number as a whole number, like 2",
            "min_value": "Enter a page number of 1 or more",
            "max_value": "Enter a smaller page number",
        },
    )
    sheet = forms.CharField(label="Sheet", max_length=200, required=False)


class SheetForm(forms.Form):
    """The workbook sheet chooser shown above an XLSX preview."""

    sheet = forms.ChoiceField(label="Sheet")

    def __init__(self, *args, sheets: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheets]
