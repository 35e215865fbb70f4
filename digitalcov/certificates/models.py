"""Copy certificate orders: statutory fees, orders, their status history, registrars' notes and payments.

An order keeps a snapshot of the fee per copy and the total at the time it was placed, so a later fee
change never alters what a resident agreed to pay. Payments hold only what the provider tells us about
the payment (its id, amount and status), never card details.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from digitalcov.core.models import Channel


class CertificateType(models.TextChoices):
    BIRTH = "birth", "Birth certificate"
    DEATH = "death", "Death certificate"
    MARRIAGE = "marriage", "Marriage certificate"
    CIVIL_PARTNERSHIP = "civil_partnership", "Civil partnership certificate"


class ServiceLevel(models.TextChoices):
    STANDARD = "standard", "Standard service"
    PRIORITY = "priority", "Priority service"


class Fee(models.Model):
    """The fee for one copy of a certificate type at a service level, from a date.

    The fee that applies on a day is the row with the latest `effective_from` on or before that day, so
    administrators add a new row when the statutory fee changes and history stays intact.
    """

    certificate_type = models.CharField(max_length=20, choices=CertificateType.choices)
    service_level = models.CharField(max_length=10, choices=ServiceLevel.choices)
    amount_pence = models.PositiveIntegerField("fee per copy (pence)")
    effective_from = models.DateField()
    source = models.TextField(help_text="Where the figure comes from, e.g. the statutory instrument.")

    class Meta:
        ordering = ["certificate_type", "service_level", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_type", "service_level", "effective_from"], name="one_fee_per_day"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_certificate_type_display()}, {self.get_service_level_display()}: "
            f"£{self.amount_pence / 100:.2f} from {self.effective_from:%d %B %Y}"
        )

    @property
    def amount_pounds(self) -> str:
        return f"£{self.amount_pence / 100:.2f}"


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", "Waiting for payment"
    PAYMENT_FAILED = "payment_failed", "Payment not completed"
    RECEIVED = "received", "Received, pay at the register office"
    PAID = "paid", "Paid"
    SEARCHING = "searching", "Searching the register"
    ISSUED = "issued", "Issued and posted"
    NOT_FOUND = "not_found", "Not found, fee to be refunded"
    CANCELLED = "cancelled", "Cancelled"


class Order(models.Model):
    """A resident's order for copies of one birth, death, marriage or civil partnership certificate."""

    reference = models.CharField(max_length=20, unique=True)
    # Null once the resident's account is erased: the order stays as a financial record.
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    certificate_type = models.CharField(max_length=20, choices=CertificateType.choices)

    # The person the certificate is about (born, died) — blank for marriages and civil partnerships.
    subject_full_name = models.CharField(max_length=150, blank=True)
    event_date = models.DateField(null=True, blank=True)
    event_place = models.CharField(max_length=200, blank=True)
    father_full_name = models.CharField("father's or parent's full name", max_length=150, blank=True)
    mother_full_name = models.CharField("mother's full name", max_length=150, blank=True)
    mother_maiden_surname = models.CharField("mother's maiden surname", max_length=100, blank=True)
    age_at_death = models.PositiveSmallIntegerField(null=True, blank=True)
    party_one_full_name = models.CharField(max_length=150, blank=True)
    party_two_full_name = models.CharField(max_length=150, blank=True)

    copies = models.PositiveSmallIntegerField()
    service_level = models.CharField(max_length=10, choices=ServiceLevel.choices)
    fee_per_copy_pence = models.PositiveIntegerField()
    total_pence = models.PositiveIntegerField()

    address_line_1 = models.CharField(max_length=100, blank=True)
    address_line_2 = models.CharField(max_length=100, blank=True)
    town = models.CharField(max_length=60, blank=True)
    postcode = models.CharField(max_length=8, blank=True)

    status = models.CharField(max_length=20, choices=OrderStatus.choices, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    # Drawn when the resident reaches check your answers: a second "Continue to payment" with the same
    # answers finds the order the first one made instead of making another (unique, so checked atomically).
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("process_orders", "Can process copy certificate orders")]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("certificates:order", args=[self.reference])

    @property
    def total_pounds(self) -> str:
        return f"£{self.total_pence / 100:.2f}"

    @property
    def fee_per_copy_pounds(self) -> str:
        return f"£{self.fee_per_copy_pence / 100:.2f}"

    @property
    def event_summary(self) -> str:
        """A short, human description of whose certificate this is (shown to the owner and staff)."""
        if self.certificate_type in (CertificateType.MARRIAGE, CertificateType.CIVIL_PARTNERSHIP):
            names = " and ".join(n for n in (self.party_one_full_name, self.party_two_full_name) if n)
        else:
            names = self.subject_full_name
        date = f", {self.event_date.day} {self.event_date:%B %Y}" if self.event_date else ""
        return f"{names}{date}" if names else "Details erased"

    @property
    def delivery_lines(self) -> list[str]:
        return [line for line in (self.address_line_1, self.address_line_2, self.town, self.postcode) if line]

    @property
    def placed_by_agent(self) -> bool:
        return self.placed_by_id is not None and self.placed_by_id != self.resident_id


class OrderStatusChange(models.Model):
    """One step in an order's history, shown to the resident and the registrar."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order} → {self.to_status}"


class OrderNote(models.Model):
    """A registrar's working note on an order (never shown to the resident)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.order}"


class PaymentStatus(models.TextChoices):
    """GOV.UK Pay's payment statuses, which the counter and pay-at-office records reuse."""

    CREATED = "created", "Created"
    STARTED = "started", "Started"
    SUBMITTED = "submitted", "Submitted"
    CAPTURABLE = "capturable", "Capturable"
    SUCCESS = "success", "Success"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    ERROR = "error", "Error"


FINISHED_PAYMENT_STATUSES = {
    PaymentStatus.SUCCESS,
    PaymentStatus.FAILED,
    PaymentStatus.CANCELLED,
    PaymentStatus.ERROR,
}


class RefundStatus(models.TextChoices):
    """Whether money taken for an order has to go back to the payer."""

    NONE = "", "No refund"
    NEEDED = "needed", "Refund needed"
    REFUNDED = "refunded", "Refunded"


class Payment(models.Model):
    """One attempt to pay for an order: online through a provider, or taken at the register office."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=20)  # "govuk_pay", "counter"
    provider_payment_id = models.CharField(max_length=64, blank=True, db_index=True)
    amount_pence = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.CREATED)
    failure_code = models.CharField(max_length=10, blank=True)  # e.g. GOV.UK Pay's P0010 (declined)
    # Part of the return URL we give the provider: unguessable, so a return cannot be forged.
    return_token = models.CharField(max_length=64, unique=True)
    next_url = models.URLField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A successful payment the council must give back: it arrived for an order that was cancelled or
    # already paid, or the register entry was not found. A registrar refunds it and records that here.
    refund_status = models.CharField(
        max_length=10, choices=RefundStatus.choices, default=RefundStatus.NONE, blank=True, db_index=True
    )
    refunded_at = models.DateTimeField(null=True, blank=True)
    refund_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.provider} payment for {self.order}"

    @property
    def needs_refund(self) -> bool:
        return self.refund_status == RefundStatus.NEEDED

    @property
    def amount_pounds(self) -> str:
        return f"£{self.amount_pence / 100:.2f}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_PAYMENT_STATUSES
