"""Business rules for copy certificate orders: fees, placing and paying for orders, the registrar's
status changes, and what a resident sees in "My requests". Views and the API only call these functions.

Callers use `from digitalcov.certificates import services` and `services.<name>`; the rules are split by
concern into the modules below, and every public name is re-exported here.

- `rules`: the order statuses and allowed moves, `OrderError`, who acts for the system, saving a status
- `fees`: the fee in force, the fee schedule, quotes
- `orders`: placing an order, a resident cancelling one, finding orders, "My requests"
- `paying`: starting and confirming payments, refunds needed, reconciliation (providers: `payments.py`)
- `back_office`: the registrars' status changes, refunds recorded, notes, tab counts
- `emails`: the confirmation and status-update emails
- `personal_data`: "Download my data" and erasure with the account
"""

from ..payments import PaymentProviderError, PaymentStart
from .back_office import add_note, change_status, orders_needing_refund, record_refund, status_counts
from .emails import STATUS_EMAIL_TEXT, send_confirmation_email, send_status_email
from .fees import MAX_COPIES, TURNAROUND, Quote, current_fee, fee_schedule, pounds, quote
from .orders import (
    ADDRESS_FIELDS,
    EVENT_FIELDS,
    REFERENCE_PREFIX,
    RESIDENT_STATUS_WORDS,
    cancel_by_resident,
    find_order,
    orders_for,
    place_order,
    resident_requests,
)
from .paying import (
    PAYMENT_UNFINISHED_MESSAGE,
    check_unfinished_payments,
    confirm_payment,
    payment_in_progress,
    reconcile_unfinished_payments,
    start_payment,
    unfinished_payments,
)
from .personal_data import erase_personal_data, export_personal_data
from .rules import (
    CANCELLABLE_BY_RESIDENT,
    FINISHED_STATUSES,
    PAYABLE_STATUSES,
    STAFF_TRANSITIONS,
    SYSTEM,
    OrderError,
    allowed_next_statuses,
    can_pay,
    staff_acting,
)

__all__ = [
    "ADDRESS_FIELDS",
    "CANCELLABLE_BY_RESIDENT",
    "EVENT_FIELDS",
    "FINISHED_STATUSES",
    "MAX_COPIES",
    "PAYABLE_STATUSES",
    "PAYMENT_UNFINISHED_MESSAGE",
    "REFERENCE_PREFIX",
    "RESIDENT_STATUS_WORDS",
    "STAFF_TRANSITIONS",
    "STATUS_EMAIL_TEXT",
    "SYSTEM",
    "TURNAROUND",
    "OrderError",
    "PaymentProviderError",
    "PaymentStart",
    "Quote",
    "add_note",
    "allowed_next_statuses",
    "can_pay",
    "cancel_by_resident",
    "change_status",
    "check_unfinished_payments",
    "confirm_payment",
    "current_fee",
    "erase_personal_data",
    "export_personal_data",
    "fee_schedule",
    "find_order",
    "orders_for",
    "orders_needing_refund",
    "payment_in_progress",
    "place_order",
    "pounds",
    "quote",
    "reconcile_unfinished_payments",
    "record_refund",
    "resident_requests",
    "send_confirmation_email",
    "send_status_email",
    "staff_acting",
    "start_payment",
    "status_counts",
    "unfinished_payments",
]
