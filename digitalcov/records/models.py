"""Golden records: source systems, imported person records, data-quality findings, linkage runs and the
golden records they produce (issue 5, sections 1-4).

A `SourceRecord` keeps every value twice: `raw_*` exactly as the source sent it, and the standardised
value used for matching and survivorship. A value that fails a rule is kept raw and explained by a
`DataQualityFinding`; nothing is dropped or changed without trace.
"""

from __future__ import annotations

import uuid

from django.db import models

# The common person schema: every source's columns are mapped onto these fields (section 1).
PERSON_FIELDS = (
    "forenames",
    "surname",
    "date_of_birth",
    "sex",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "address_line_4",
    "postcode",
    "uprn",
    "nhs_number",
    "email",
    "phone",
    "other_id",
)


class SourceSystem(models.Model):
    """A council (or partner) system that holds records about people: council tax, housing, social care."""

    name = models.CharField(max_length=100, unique=True)
    owning_service = models.CharField(max_length=200)
    # Higher is more trusted; "most trusted source" survivorship picks the highest.
    trust_level = models.PositiveSmallIntegerField(default=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One file imported from a source, with the mapping used and what it changed."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        PARQUET = "parquet", "Parquet"
        JSON = "json", "JSON"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(SourceSystem, on_delete=models.PROTECT, related_name="batches")
    file_name = models.CharField(max_length=500)
    file_format = models.CharField(max_length=10, choices=Format.choices)
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    rows_read = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    retired_count = models.PositiveIntegerField(default=0)
    finding_count = models.PositiveIntegerField(default=0)
    # Why a batch failed, in words that never quote a value from the file.
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.source} batch {self.pk}"


class SourceRecord(models.Model):
    """One person as one source holds them: raw values and standardised values side by side."""

    source = models.ForeignKey(SourceSystem, on_delete=models.PROTECT, related_name="records")
    source_record_id = models.CharField(max_length=200)
    # A digest of the raw values: a re-import compares it to spot changed records without reading them.
    raw_digest = models.CharField(max_length=64)

    raw_forenames = models.CharField(max_length=300, blank=True)
    raw_surname = models.CharField(max_length=300, blank=True)
    raw_date_of_birth = models.CharField(max_length=100, blank=True)
    raw_sex = models.CharField(max_length=50, blank=True)
    raw_address_line_1 = models.CharField(max_length=300, blank=True)
    raw_address_line_2 = models.CharField(max_length=300, blank=True)
    raw_address_line_3 = models.CharField(max_length=300, blank=True)
    raw_address_line_4 = models.CharField(max_length=300, blank=True)
    raw_postcode = models.CharField(max_length=50, blank=True)
    raw_uprn = models.CharField(max_length=50, blank=True)
    raw_nhs_number = models.CharField(max_length=50, blank=True)
    raw_email = models.CharField(max_length=320, blank=True)
    raw_phone = models.CharField(max_length=100, blank=True)
    raw_other_id = models.CharField(max_length=100, blank=True)

    forenames = models.CharField(max_length=300, blank=True)
    surname = models.CharField(max_length=300, blank=True)
    # Lower case, accents folded, punctuation dropped: what linkage compares ("Zoë O'Neil" -> "zoe oneil").
    forenames_key = models.CharField(max_length=300, blank=True)
    surname_key = models.CharField(max_length=300, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)  # "F", "M", "X" (another sex), blank when unknown
    address_line_1 = models.CharField(max_length=300, blank=True)
    address_line_2 = models.CharField(max_length=300, blank=True)
    address_line_3 = models.CharField(max_length=300, blank=True)
    address_line_4 = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=16, blank=True)
    uprn = models.CharField(max_length=12, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    email = models.CharField(max_length=320, blank=True)
    phone = models.CharField(max_length=20, blank=True)  # E.164
    other_id = models.CharField(max_length=100, blank=True)

    first_seen_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    last_seen_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    # When the values last changed: "most recent" survivorship prefers the latest.
    changed_at = models.DateTimeField()
    retired = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_record_id"], name="records_unique_source_id")
        ]
        # The keys incremental matching looks candidates up by (services/incremental.py).
        indexes = [
            models.Index(fields=["retired"]),
            models.Index(fields=["forenames_key", "surname_key"]),
            models.Index(fields=["surname_key", "date_of_birth"]),
            models.Index(fields=["forenames_key", "date_of_birth"]),
            models.Index(fields=["postcode"]),
            models.Index(fields=["nhs_number"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.source_record_id}"


class DataQualityFinding(models.Model):
    """A value that failed a standardisation rule. It names the record and field; the value itself
    stays in the record's `raw_*` field, so the finding copies no personal data."""

    class Problem(models.TextChoices):
        INVALID_FORMAT = "invalid_format", "Not in a recognised format"
        IMPOSSIBLE_DATE = "impossible_date", "A date that does not exist"
        FUTURE_DATE = "future_date", "A date in the future"
        IMPLAUSIBLE_DATE = "implausible_date", "A date too long ago to be a living person's"
        UNKNOWN_POSTCODE = "unknown_postcode", "A well-formed postcode that does not exist"
        OUTSIDE_AREA = "outside_area", "A postcode outside the council's area"
        FAILED_CHECK_DIGIT = "failed_check_digit", "The check digit is wrong"
        INVALID_EMAIL = "invalid_email", "Not a usable email address"
        INVALID_PHONE = "invalid_phone", "Not a usable telephone number"
        UNRECOGNISED_VALUE = "unrecognised_value", "A value outside the allowed list"

    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="findings")
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="findings")
    field = models.CharField(max_length=30)
    problem = models.CharField(max_length=30, choices=Problem.choices)

    class Meta:
        indexes = [models.Index(fields=["field", "problem"])]

    def __str__(self) -> str:
        return f"{self.field}: {self.get_problem_display()}"


class LinkageRun(models.Model):
    """One Splink run over every live source record: its settings, trained model, charts and timings."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    backend = models.CharField(max_length=10)
    match_threshold = models.FloatField()
    review_threshold = models.FloatField()
    # Splink's settings as run, with the trained m and u probabilities (loadable by Splink again).
    model = models.JSONField(default=dict)
    # The Vega-Lite spec of Splink's match weights chart, for stewards to read.
    match_weights_chart = models.JSONField(default=dict)
    survivorship = models.JSONField(default=dict)
    timings = models.JSONField(default=dict)  # seconds per step
    counts = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Linkage run {self.pk}"


class TermFrequency(models.Model):
    """How common a value was in a run (its share of the records holding the field), for the model's
    term-frequency adjustments when one record is matched on its own (incremental matching)."""

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="term_frequencies")
    column = models.CharField(max_length=30)
    value = models.CharField(max_length=320)
    frequency = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["run", "column", "value"])]

    def __str__(self) -> str:
        return f"{self.column} {self.frequency:.6f}"


class GoldenRecord(models.Model):
    """One person across sources. The id is stable: a re-run keeps it while most of its records stay
    together. `field_values` holds the surviving value of each field and `provenance` where each came from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_in_run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="+")
    retired_in_run = models.ForeignKey(
        LinkageRun, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    active = models.BooleanField(default=True)
    field_values = models.JSONField(default=dict)
    # {field: {"record": SourceRecord id, "source": SourceSystem id, "rule": "trusted"|"recent"|"frequent"}}
    provenance = models.JSONField(default=dict)
    record_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["active"])]

    def __str__(self) -> str:
        return str(self.id)


class GoldenRecordMembership(models.Model):
    """Which golden record a source record belonged to in a run (earlier runs' memberships are kept)."""

    golden_record = models.ForeignKey(GoldenRecord, on_delete=models.CASCADE, related_name="memberships")
    source_record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="memberships")
    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "source_record"], name="records_one_membership_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.source_record_id} in {self.golden_record_id} (run {self.run_id})"


class PredictedPair(models.Model):
    """A pair of records the model was unsure about (probability between the review and match
    thresholds): the queue a data steward works through."""

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="pairs")
    record_left = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    record_right = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()

    class Meta:
        ordering = ["-match_probability"]

    def __str__(self) -> str:
        return f"{self.record_left_id} and {self.record_right_id}: {self.match_probability:.3f}"
