"""The catalogue's data, modelled on CKAN's (organisations, groups, packages, resources, tags, licences)
with the fields UK councils publish: DCAT-AP contact point, temporal and spatial coverage, update
frequency, and the LGA (esd.org.uk) service and function lists.

Names follow CKAN where a client sees them through the Action API: a dataset's `name` is its slug,
`notes` its Markdown description. Themes are CKAN "groups".
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

# CKAN's rule for dataset, organisation and group names: 2-100 lowercase letters, digits, "-" and "_".
NAME_VALIDATOR = RegexValidator(
    r"^[a-z0-9_-]{2,100}$",
    "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_",
)
DEFAULT_LICENCE_ID = "OGL-UK-3.0"


class State(models.TextChoices):
    ACTIVE = "active", "Active"
    DRAFT = "draft", "Draft"
    DELETED = "deleted", "Deleted"


class Organisation(models.Model):
    """A council service or partner that publishes datasets (CKAN "organization")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField("slug", max_length=100, unique=True, validators=[NAME_VALIDATOR])
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown.")
    image_url = models.URLField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    created = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="catalogue_organisations"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    """A person's role in an organisation. Editors and admins publish its datasets; members may see
    its private datasets; admins also manage its members (CKAN's three capacities)."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        EDITOR = "editor", "Editor"
        MEMBER = "member", "Member"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="catalogue_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_role_per_org")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.organisation}"


class Theme(models.Model):
    """A theme that groups datasets across organisations (CKAN "group")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField("slug", max_length=100, unique=True, validators=[NAME_VALIDATOR])
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    image_url = models.URLField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Licence(models.Model):
    """A licence a dataset may carry. `id` is the SPDX identifier where one exists; `ckan_id` is the id
    older CKAN sites (data.gov.uk among them) use, accepted on input so their clients keep working."""

    id = models.CharField(max_length=50, primary_key=True)
    ckan_id = models.CharField(max_length=50, blank=True)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=300, blank=True)
    is_open = models.BooleanField(default=True, help_text="Conforms to the Open Definition.")
    is_generic = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    """A free keyword (CKAN "tag", without vocabularies)."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UpdateFrequency(models.TextChoices):
    """The EU frequency vocabulary's common values (used by DCAT-AP `dct:accrualPeriodicity`)."""

    CONTINUOUS = "continuous", "Continuously updated"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annually"
    IRREGULAR = "irregular", "Irregularly"
    NEVER = "never", "Never (a one-off release)"


class Dataset(models.Model):
    """A dataset (CKAN "package")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField("slug", max_length=100, unique=True, validators=[NAME_VALIDATOR])
    title = models.CharField(max_length=500)
    notes = models.TextField("description", blank=True, help_text="Markdown.")
    url = models.URLField("source page", max_length=500, blank=True)
    version = models.CharField(max_length=100, blank=True)
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, default=DEFAULT_LICENCE_ID)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="datasets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets")
    themes = models.ManyToManyField(Theme, blank=True, related_name="datasets")
    author = models.CharField(max_length=200, blank=True)
    author_email = models.EmailField(blank=True)
    # The maintainer is the contact point people write to (DCAT-AP dcat:contactPoint).
    maintainer = models.CharField("contact name", max_length=200, blank=True)
    maintainer_email = models.EmailField("contact email", blank=True)
    temporal_start = models.DateField(null=True, blank=True)
    temporal_end = models.DateField(null=True, blank=True)
    spatial_coverage = models.CharField(
        max_length=200, blank=True, help_text='A place name or GSS code, e.g. "E08000026" for Coventry.'
    )
    spatial = models.JSONField(null=True, blank=True, help_text="A GeoJSON geometry of the area covered.")
    update_frequency = models.CharField(max_length=20, choices=UpdateFrequency.choices, blank=True)
    conforms_to = models.URLField(
        "schema", max_length=500, blank=True, help_text="The data standard or schema it follows."
    )
    lga_service = models.CharField(
        "LGA service", max_length=200, blank=True, help_text="An esd.org.uk service list URI."
    )
    lga_function = models.CharField(
        "LGA function", max_length=200, blank=True, help_text="An esd.org.uk function list URI."
    )
    private = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        permissions = [("administer_catalogue", "Can change every organisation's datasets (CKAN sysadmin)")]
        indexes = [
            # Covers "which datasets may be seen" on its own, so search and facets never read the rows.
            models.Index(fields=["state", "private", "id"], name="catalogue_dataset_visible"),
            # Covers a page of search results in the default order (last modified, then name): the
            # sort reads the index, not the rows with their descriptions (search._page).
            models.Index(
                fields=["state", "private", "modified", "name", "id"], name="catalogue_dataset_listing"
            ),
            models.Index(fields=["modified"]),
            models.Index(fields=["created"]),
            models.Index(fields=["title"]),
        ]

    def __str__(self) -> str:
        return self.title

    def related(self, relation: str) -> list:
        """Its tags, themes, extras or resources: the list a page of results prefetched into
        `prefetched_<relation>` (services.search), or else from the database."""
        prefetched = getattr(self, f"prefetched_{relation}", None)
        return prefetched if prefetched is not None else list(getattr(self, relation).all())

    @property
    def data_updated(self):
        """When the data itself last changed: the latest `last_modified` of its resources (an upload's
        time, or a sensor stream's latest phenomenonTime, kept by the platform registry), or None.
        Pages show it as "Data updated"; `modified` is when the metadata last changed."""
        return max((r.last_modified for r in self.resources.all() if r.last_modified), default=None)


# The dataset's own metadata fields, as CKAN's package dict names them (services/datasets.py) and as its
# history compares them (services/history.py, with the licence and organisation ids).
DATASET_METADATA_FIELDS = [
    "name",
    "title",
    "notes",
    "url",
    "version",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
    "temporal_start",
    "temporal_end",
    "spatial_coverage",
    "spatial",
    "update_frequency",
    "conforms_to",
    "lga_service",
    "lga_function",
    "private",
    "state",
]


class DatasetExtra(models.Model):
    """A free key/value pair on a dataset (CKAN "extras")."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="extras")
    key = models.CharField(max_length=200)
    value = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["dataset", "key"], name="one_value_per_extra_key")]

    def __str__(self) -> str:
        return self.key


def upload_path(resource: Resource, filename: str) -> str:
    return f"catalogue/{resource.dataset_id}/{resource.id}/{filename}"


class Resource(models.Model):
    """One file, link or live API of a dataset."""

    class Kind(models.TextChoices):
        FILE = "file", "File"
        LINK = "link", "Link"
        API = "api", "API"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    url = models.CharField(max_length=2000, blank=True)
    upload = models.FileField(upload_to=upload_path, max_length=500, blank=True)
    format = models.CharField(max_length=50, blank=True)
    mimetype = models.CharField(max_length=200, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    hash = models.CharField(max_length=100, blank=True)
    schema = models.JSONField(null=True, blank=True, help_text="A Frictionless Table Schema descriptor.")
    resource_type = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FILE)
    last_modified = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    datastore_active = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    metadata_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dataset", "position"]
        indexes = [
            models.Index(fields=["format"]),
            # Covers the format facet: formats per dataset without reading the resource rows.
            models.Index(fields=["dataset", "format"], name="catalogue_resource_formats"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)

    @property
    def is_upload(self) -> bool:
        return bool(self.upload)


class MetadataChange(models.Model):
    """One change to a dataset's metadata: who, when, and what changed as {field: [before, after]}."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.dataset_id} at {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A catalogue API token belonging to a person: it acts with that person's roles. Only a SHA-256
    hash is kept (see `core.api_tokens`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
