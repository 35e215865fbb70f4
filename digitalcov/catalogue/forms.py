"""Forms of the catalogue's publishing pages.

The forms only turn what a person typed into the dict the services take (the same dict the CKAN API
sends); every rule is checked by the services (`services/validation.py`, `services/resources.py`), and
their errors are put back beside the field they concern (`add_service_errors`).
"""

from __future__ import annotations

import json

from django import forms

from digitalcov.core.forms import GovukDateField

from .models import Licence, Organisation, Resource, Theme, UpdateFrequency
from .services import permissions
from .services.errors import ValidationError as ServiceValidationError
from .services.validation import clean_package

# Slugs the pages use for themselves: a dataset with one of these names could not be reached.
RESERVED_NAMES = {"new"}

# Service field name -> form field name, where they differ.
DATASET_FIELD_NAMES = {
    "license_id": "licence",
    "owner_org": "organisation",
    "groups": "themes",
}
RESOURCE_FIELD_NAMES = {"resource_type": "kind"}


def add_service_errors(form: forms.Form, errors: dict, names: dict[str, str]) -> None:
    """Put a services ValidationError's `errors` ({field: [messages]}) on the form's fields."""
    for field, messages in errors.items():
        target = names.get(field, field)
        if target not in form.fields:
            target = None
        for message in messages if isinstance(messages, list) else [messages]:
            form.add_error(target, str(message) if not isinstance(message, dict) else json.dumps(message))


class DatasetForm(forms.Form):
    """Every field of a dataset a publisher sets (models.Dataset)."""

    title = forms.CharField(max_length=500, error_messages={"required": "Enter a title"})
    name = forms.CharField(
        label="Web address name",
        max_length=100,
        help_text="Lowercase letters, numbers, hyphens and underscores, for example road-traffic-counts. "
        "It becomes /data/dataset/<name>/.",
        error_messages={"required": "Enter a web address name"},
    )
    notes = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the data is, how it was collected and what to look out for. You can use Markdown.",
    )
    organisation = forms.ChoiceField(label="Publisher")
    licence = forms.ChoiceField(label="Licence")
    tags = forms.CharField(required=False, help_text="Separate tags with commas, for example traffic, roads.")
    themes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    maintainer = forms.CharField(label="Contact name", required=False, max_length=200)
    maintainer_email = forms.CharField(label="Contact email address", required=False)
    author = forms.CharField(label="Author", required=False, max_length=200)
    author_email = forms.CharField(label="Author email address", required=False)
    url = forms.CharField(label="Source web page", required=False, help_text="Starting https://")
    version = forms.CharField(required=False, max_length=100)
    temporal_start = GovukDateField(label="Period covered: start date", required=False)
    temporal_end = GovukDateField(label="Period covered: end date", required=False)
    spatial_coverage = forms.CharField(
        label="Area covered",
        required=False,
        help_text="A place name or GSS code, for example E08000026 for Coventry.",
    )
    spatial = forms.CharField(
        label="Area covered as GeoJSON",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: a GeoJSON geometry of the area.",
    )
    update_frequency = forms.ChoiceField(
        label="How often it is updated",
        required=False,
        choices=[("", "Not stated"), *UpdateFrequency.choices],
    )
    conforms_to = forms.CharField(
        label="Schema or data standard", required=False, help_text="The web address of the schema it follows."
    )
    lga_service = forms.CharField(
        label="LGA service", required=False, help_text="An esd.org.uk service list web address."
    )
    lga_function = forms.CharField(
        label="LGA function", required=False, help_text="An esd.org.uk function list web address."
    )
    private = forms.ChoiceField(
        label="Who can see it",
        choices=[("false", "Everyone (public)"), ("true", "Only members of the publishing organisation")],
        widget=forms.RadioSelect,
        initial="false",
    )
    state = forms.ChoiceField(
        label="Status",
        choices=[("active", "Published"), ("draft", "Draft (only its organisation sees it)")],
        widget=forms.RadioSelect,
        initial="active",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(state="active")
        if not permissions.is_sysadmin(user):
            organisations = organisations.filter(
                pk__in=permissions.member_organisation_ids(user, permissions.PUBLISHING_ROLES)
            )
        self.fields["organisation"].choices = [(org.name, org.title) for org in organisations]
        self.fields["licence"].choices = [(licence.id, licence.title) for licence in Licence.objects.all()]
        self.fields["themes"].choices = [(theme.name, theme.title) for theme in Theme.objects.all()]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if name in RESERVED_NAMES:
            raise forms.ValidationError(f"{name!r} is used by the catalogue's own pages: choose another name")
        return name

    def as_package(self) -> dict:
        """The dataset dict the services take (CKAN's package fields). On a form with errors it holds
        the fields that were valid, so the services can check those too (`services_errors`)."""
        data = self.cleaned_data
        package = {
            key: data.get(key, "")
            for key in (
                "title",
                "name",
                "notes",
                "maintainer",
                "maintainer_email",
                "author",
                "author_email",
                "url",
                "version",
                "spatial_coverage",
                "spatial",
                "update_frequency",
                "conforms_to",
                "lga_service",
                "lga_function",
                "private",
                "state",
            )
        }
        package["owner_org"] = data.get("organisation", "")
        package["license_id"] = data.get("licence", "")
        package["groups"] = [{"name": name} for name in data.get("themes", [])]
        # A list, not CKAN's tag_string: a patch sends the stored tags as a list, which would win.
        tags = data.get("tags", "")
        package["tags"] = [{"name": part.strip()} for part in tags.split(",") if part.strip()]
        for key in ("temporal_start", "temporal_end"):
            package[key] = data[key].isoformat() if data.get(key) else None
        return package

    def add_services_errors(self, existing) -> None:
        """On a form that already has errors, also show what the services would refuse among the
        fields that were valid, so a person sees every problem at once rather than one round each."""
        try:
            clean_package(self.as_package(), existing=existing)
        except ServiceValidationError as error:
            fresh = {
                field: messages
                for field, messages in error.errors.items()
                if DATASET_FIELD_NAMES.get(field, field) in self.cleaned_data
            }
            add_service_errors(self, fresh, DATASET_FIELD_NAMES)

    @staticmethod
    def initial_for(dataset) -> dict:
        """The form's starting values for an existing dataset."""
        initial = {
            key: getattr(dataset, key)
            for key in (
                "title",
                "name",
                "notes",
                "maintainer",
                "maintainer_email",
                "author",
                "author_email",
                "url",
                "version",
                "temporal_start",
                "temporal_end",
                "spatial_coverage",
                "update_frequency",
                "conforms_to",
                "lga_service",
                "lga_function",
                "state",
            )
        }
        initial["spatial"] = json.dumps(dataset.spatial) if dataset.spatial else ""
        initial["private"] = "true" if dataset.private else "false"
        initial["organisation"] = dataset.organisation.name
        initial["licence"] = dataset.licence_id
        initial["themes"] = list(dataset.themes.values_list("name", flat=True))
        initial["tags"] = ", ".join(dataset.tags.values_list("name", flat=True))
        return initial


class ResourceForm(forms.Form):
    """A resource: an uploaded file, a link to a file elsewhere, or a live API."""

    name = forms.CharField(max_length=500, error_messages={"required": "Enter a name"})
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(
        label="What are you adding?",
        choices=Resource.Kind.choices,
        widget=forms.RadioSelect,
        initial=Resource.Kind.FILE,
    )
    upload = forms.FileField(label="Upload a file", required=False)
    url = forms.CharField(
        label="Web address of the link or API", required=False, help_text="Not needed for an uploaded file."
    )
    format = forms.CharField(
        required=False, max_length=50, help_text="For example CSV or GeoJSON. Left blank, it is guessed."
    )

    def __init__(self, *args, has_file: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.has_file = has_file

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == Resource.Kind.FILE and not data.get("upload") and not self.has_file:
            self.add_error("upload", "Select a file to upload")
        if kind in (Resource.Kind.LINK, Resource.Kind.API) and not data.get("url"):
            self.add_error("url", "Enter the web address of the link or API")
        return data

    def as_resource(self) -> dict:
        """The resource dict the services take (CKAN's resource fields)."""
        data = self.cleaned_data
        resource = {
            "name": data["name"],
            "description": data["description"],
            "format": data["format"],
            "resource_type": data["kind"],
        }
        if data["kind"] == Resource.Kind.FILE:
            resource["url"] = ""
            resource["url_type"] = "upload"
        else:
            resource["url"] = data["url"]
        return resource

    @staticmethod
    def initial_for(resource) -> dict:
        return {
            "name": resource.name,
            "description": resource.description,
            "kind": resource.resource_type,
            "url": resource.url,
            "format": resource.format,
        }
