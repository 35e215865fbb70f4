"""Golden records: source systems, imported person records, data-quality findings, linkage runs and the
golden records they produce (issue 5, sections 1-4).

A `SourceRecord` keeps every value twice: `raw_*` exactly as the source sent it, and the standardised
value used for matching and survivorship. A value that fails a rule is kept raw and explained by a
`DataQualityFinding`; nothing is dropped or changed without trace.
"""

from __future__ import annotations

import uuid

from django.conf import settings
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
        # Partners look a person up by NHS number or date of birth: migration 0005 indexes those JSON keys
        # by hand (services/sharing.py queries the same expressions).
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


# --- Partner sharing under data sharing agreements (issue 5, section 8) ---------------------------------


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6(1): the lawful bases for processing personal data."""

    CONSENT = "6.1.a", "Art. 6(1)(a) consent"
    CONTRACT = "6.1.b", "Art. 6(1)(b) contract"
    LEGAL_OBLIGATION = "6.1.c", "Art. 6(1)(c) legal obligation"
    VITAL_INTERESTS = "6.1.d", "Art. 6(1)(d) vital interests"
    PUBLIC_TASK = "6.1.e", "Art. 6(1)(e) public task"
    LEGITIMATE_INTERESTS = "6.1.f", "Art. 6(1)(f) legitimate interests"


class SpecialCategoryCondition(models.TextChoices):
    """UK GDPR Article 9(2): the conditions for processing special category data (blank when the
    agreement shares none)."""

    NONE = "", "None: no special category data"
    EXPLICIT_CONSENT = "9.2.a", "Art. 9(2)(a) explicit consent"
    EMPLOYMENT_SOCIAL_PROTECTION = "9.2.b", "Art. 9(2)(b) employment, social security and social protection"
    VITAL_INTERESTS = "9.2.c", "Art. 9(2)(c) vital interests"
    NOT_FOR_PROFIT = "9.2.d", "Art. 9(2)(d) not-for-profit bodies"
    MADE_PUBLIC = "9.2.e", "Art. 9(2)(e) made public by the data subject"
    LEGAL_CLAIMS = "9.2.f", "Art. 9(2)(f) legal claims or judicial acts"
    SUBSTANTIAL_PUBLIC_INTEREST = "9.2.g", "Art. 9(2)(g) substantial public interest"
    HEALTH_SOCIAL_CARE = "9.2.h", "Art. 9(2)(h) health or social care"
    PUBLIC_HEALTH = "9.2.i", "Art. 9(2)(i) public health"
    ARCHIVING_RESEARCH = "9.2.j", "Art. 9(2)(j) archiving, research and statistics"


class PartnerOrganisation(models.Model):
    """An organisation outside the council that golden records may be shared with (NHS, police)."""

    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerMembership(models.Model):
    """A user who works for a partner organisation. Membership, not a role, is what makes a partner
    user: it says which organisation's agreements apply. A user belongs to one partner at most."""

    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"User {self.user_id} of {self.partner}"


class PartnerApiToken(models.Model):
    """A partner organisation's token for the records API: only its SHA-256 hash is kept
    (`core.api_tokens`)."""

    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.partner}: {self.name}"


class DataSharingAgreement(models.Model):
    """What a partner may see of golden records, why, and for how long. Access needs an active
    agreement (not revoked, today between its start and end) naming the purpose the partner states."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Revoked"

    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(max_length=200)
    # Each purpose is a short statement; a partner's stated purpose must equal one (case and spacing aside).
    purposes = models.JSONField(default=list)
    lawful_basis = models.CharField(max_length=8, choices=LawfulBasis.choices)
    special_category_condition = models.CharField(
        max_length=8, choices=SpecialCategoryCondition.choices, blank=True
    )
    # Golden record fields (PERSON_FIELDS) the partner may see.
    allowed_fields = models.JSONField(default=list)
    starts_on = models.DateField()
    ends_on = models.DateField()
    signatory_name = models.CharField(max_length=200)
    signatory_role = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        permissions = [("manage_sharing", "Manage data sharing agreements and read the sharing log")]

    def __str__(self) -> str:
        return f"DSA-{self.pk}: {self.title}"

    @property
    def reference(self) -> str:
        return f"DSA-{self.pk}"


class SharingAccess(models.Model):
    """One attempt by a partner to read a golden record, allowed or refused: who, which record, which
    fields, for what purpose, under which agreement, and when. Nothing the partner typed to find the
    person (NHS number, name) is kept; the record is named by its id."""

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", "Allowed"
        REFUSED = "refused", "Refused"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.ForeignKey(
        PartnerApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="accesses"
    )
    agreement = models.ForeignKey(
        DataSharingAgreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="accesses"
    )
    # Not a foreign key: the log outlives a golden record retired or merged by a later run.
    golden_record_id = models.UUIDField(null=True, blank=True, db_index=True)
    fields = models.JSONField(default=list)
    purpose = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=10)  # "online" (pages) or "api"
    lookup = models.CharField(max_length=20)  # "id", "nhs_number" or "name_and_birth_date"
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=40, blank=True)  # why it was refused (sharing.Refusal codes)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "sharing accesses"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.outcome} {self.golden_record_id or ''}"


class PairDecision(models.Model):
    """A data steward's ruling that two source records are, or are not, the same person (issue 5,
    section 6). Later runs obey it over the model: `same` is a must-link, `different` a cannot-link.

    Kept once per pair of records, the lower id first, so two stewards deciding the same pair at once
    collide on the unique constraint and the second is told (services/review.py)."""

    class Outcome(models.TextChoices):
        SAME = "same", "Same person"
        DIFFERENT = "different", "Different people"

    class Origin(models.TextChoices):
        REVIEW = "review", "Pair review"
        SPLIT = "split", "Golden record split"
        MERGE = "merge", "Golden records merged"

    record_low = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    record_high = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.REVIEW)
    # The steward's reason, in their words: shown to stewards, never copied into the audit log.
    reason = models.TextField()
    # What the model said when the steward decided (blank for splits and merges).
    match_probability = models.FloatField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_low", "record_high"], name="records_one_decision_per_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(record_low__lt=models.F("record_high")),
                name="records_decision_pair_ordered",
            ),
        ]
        # The data steward's one permission: every page that shows personal data checks it.
        permissions = [
            ("steward_golden_records", "Review pairs, split and merge golden records and read their data")
        ]

    def __str__(self) -> str:
        return f"{self.record_low_id} and {self.record_high_id}: {self.outcome}"


class QualityReportSnapshot(models.Model):
    """The data quality report as last built for one state of the records (services/quality_snapshots.py):
    on a million records it takes tens of seconds to build, so the worker builds it after each import
    and linkage run and pages read it. `key` names the state it was built for (the latest import, run,
    steward decision and membership); `data` is the pickled Report, written only by this code."""

    key = models.CharField(max_length=64, unique=True)
    source = models.ForeignKey(SourceSystem, null=True, blank=True, on_delete=models.CASCADE)
    built_at = models.DateTimeField(auto_now_add=True)
    build_seconds = models.FloatField(default=0)
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"Data quality report built {self.built_at:%Y-%m-%d %H:%M}"
