"""The rules of tip visit bookings. Views, the staff area and the API all call these functions.

Capacity: a place is taken with one conditional UPDATE (`places_booked < capacity`) in the same
transaction as the booking insert, so when many residents ask for the last place at once exactly one
UPDATE changes a row and the others see "full". On SQLite every transaction starts IMMEDIATE (settings)
so writers queue; on PostgreSQL the row lock taken by the UPDATE does the same, and the household limit
is serialised with transaction-scoped advisory locks on the household and the account.

Locks are always taken in one order, so two transactions never wait for each other in a circle (a
deadlock): the booking row, then the household and account locks, then slot rows by primary key.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from digitalcov.core.postcodes import is_in_council_area
from digitalcov.core.references import new_reference, normalise_reference

from . import availability
from .models import ACTIVE_STATUSES, Booking, BookingStatus, Site, Slot, VehicleType
from .registrations import RegistrationError, normalise_registration

REFERENCE_PREFIX = "TIP"
HOUSEHOLD_WINDOW_DAYS = 28
PERMIT_PATTERN = re.compile(r"^[A-Z0-9]{4,12}$")


class BookingError(Exception):
    """A booking cannot be made or changed; `str(error)` is written for the resident."""

    field = ""


class SlotFullError(BookingError):
    """The chosen time has no places left."""

    field = "slot"


class AddressError(BookingError):
    """The resident's address is missing or outside the council's area."""

    field = "address"


class RegistrationTakenError(BookingError):
    """The vehicle already has a visit that day."""

    field = "registration"


class VisitLimitError(BookingError):
    """The household or the account already has its limit of visits close to that date."""

    field = "date"


@dataclass(frozen=True)
class VisitDetails:
    """What a resident chose: everything needed to make (or change to) a booking."""

    site: Site
    slot_key: str  # local start, "YYYY-MM-DDTHH:MM"
    registration: str
    vehicle_type: str
    permit_number: str = ""
    waste_types: tuple[str, ...] = ()


def normalise_permit(text: str) -> str:
    """Upper case without spaces or dashes; raise BookingError when not 4-12 letters and numbers."""
    permit = "".join(text.upper().split()).replace("-", "")
    if not permit:
        raise BookingError("Enter your permit number")
    if not PERMIT_PATTERN.match(permit):
        raise BookingError("Permit number must be 4 to 12 letters and numbers, like VP1234")
    return permit


def check_resident_address(resident) -> None:
    """Only Coventry households can book: raise AddressError saying what to fix."""
    if not resident.has_address or not resident.household_key:
        raise AddressError("Add your address to your details before you book a visit")
    if not is_in_council_area(resident.postcode):
        raise AddressError(
            f"The address in your details is not in {settings.COUNCIL_SHORT_NAME}. "
            "Check your address in your details: only residents can book a visit"
        )


def book_visit(
    *, resident, placed_by, channel: str, details: VisitDetails, now: datetime.datetime | None = None
) -> Booking:
    """Book a visit, or raise BookingError (SlotFullError when the time has no places left)."""
    now = now or timezone.now()
    check_resident_address(resident)
    registration, permit = _check_vehicle(details)
    start, end = _check_time(details, now)
    slot = _slot_row(details.site, start, end)
    household = resident.household_key
    for _attempt in range(3):
        try:
            with transaction.atomic():
                _lock_household_and_account(household, resident.pk)
                _check_visit_limit(household, resident.pk, start, exclude=None)
                _check_registration_free(registration, start, exclude=None)
                _take_place(slot)
                return Booking.objects.create(
                    reference=new_reference(REFERENCE_PREFIX),
                    resident=resident,
                    placed_by=placed_by,
                    channel=channel,
                    household_key=household,
                    slot=slot,
                    slot_date=availability.local_today(start),
                    registration=registration,
                    vehicle_type=details.vehicle_type,
                    permit_number=permit,
                    waste_types=list(details.waste_types),
                )
        except IntegrityError as error:
            _explain_integrity_error(error, registration, start)
            # Otherwise the random reference collided: the transaction rolled back; try a new one.
    raise BookingError("Sorry, we could not make your booking. Try again")


def change_booking(booking: Booking, details: VisitDetails, now: datetime.datetime | None = None) -> Booking:
    """Move a booking to another time and/or vehicle; the old place is freed only if the new one is got."""
    now = now or timezone.now()
    if not booking.can_be_changed(now):
        raise BookingError("This booking can no longer be changed")
    registration, permit = _check_vehicle(details)
    start, end = _check_time(details, now)
    new_slot = _slot_row(details.site, start, end)
    try:
        with transaction.atomic():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if not locked.can_be_changed(now):
                raise BookingError("This booking can no longer be changed")
            _lock_household_and_account(locked.household_key, locked.resident_id)
            _check_visit_limit(locked.household_key, locked.resident_id, start, exclude=locked.pk)
            _check_registration_free(registration, start, exclude=locked.pk)
            if new_slot.pk != locked.slot_id:
                # Two changes crossing (one moving A to B, the other B to A) would each hold one slot
                # row and wait for the other's: lock both rows in primary-key order first.
                lock_slots([locked.slot_id, new_slot.pk])
                _take_place(new_slot)
                _free_place(locked.slot_id)
            locked.slot = new_slot
            locked.slot_date = availability.local_today(start)
            locked.registration = registration
            locked.vehicle_type = details.vehicle_type
            locked.permit_number = permit
            locked.waste_types = list(details.waste_types)
            locked.changed_at = now
            locked.save()
            return locked
    except IntegrityError as error:
        _explain_integrity_error(error, registration, start)
        raise


def cancel_booking(booking: Booking, now: datetime.datetime | None = None, *, force: bool = False) -> Booking:
    """Cancel a booking and free its place. Residents can cancel up to the slot's start; `force`
    (used when erasing an account) cancels any booked visit."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
        allowed = locked.status == BookingStatus.BOOKED if force else locked.can_be_changed(now)
        if not allowed:
            raise BookingError("This booking can no longer be cancelled")
        locked.status = BookingStatus.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at"])
        _free_place(locked.slot_id)
        return locked


def can_check_in(booking: Booking, now: datetime.datetime | None = None) -> bool:
    """Whether staff may check the visitor in now: a booked visit, on the day of its booking."""
    return _check_in_refusal(booking, now or timezone.now()) is None


def check_in(booking: Booking, now: datetime.datetime | None = None) -> Booking:
    """Record that the visitor arrived. Only a booked visit on its own day can be checked in."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
        refusal = _check_in_refusal(locked, now)
        if refusal:
            raise BookingError(refusal)
        locked.status = BookingStatus.CHECKED_IN
        locked.checked_in_at = now
        locked.save(update_fields=["status", "checked_in_at"])
        return locked


def _check_in_refusal(booking: Booking, now: datetime.datetime) -> str | None:
    """Why the visitor cannot be checked in now (written for staff), or None when they can."""
    if booking.status == BookingStatus.CHECKED_IN:
        return "This visitor is already checked in"
    if booking.status != BookingStatus.BOOKED:
        return "This booking was cancelled"
    if booking.slot_date != availability.local_today(now):
        return "Visitors can only be checked in on the day of their booking"
    return None


def bookings_on(site: Site, day: datetime.date):
    """A site's bookings (any status) for one day, in slot order."""
    return (
        Booking.objects.filter(slot__site=site, slot_date=day)
        .select_related("slot", "slot__site")
        .order_by("slot__start", "reference")
    )


def normalise_booking_reference(text: str) -> str:
    """A booking reference as stored ("TIP-7K3M-9QXA"), however it was typed or linked."""
    return normalise_reference(text, REFERENCE_PREFIX)


def find_bookings(query: str):
    """Bookings matching a reference (as people type them) or a vehicle registration, newest first."""
    query = query.strip()
    if not query:
        return Booking.objects.none()
    reference = normalise_booking_reference(query)
    found = Booking.objects.filter(reference=reference)
    if not found.exists():
        try:
            found = Booking.objects.filter(registration=normalise_registration(query))
        except RegistrationError:
            found = Booking.objects.none()
    return found.select_related("slot", "slot__site").order_by("-slot__start")


def bookings_for(resident):
    """A resident's own bookings, soonest first."""
    return (
        Booking.objects.filter(resident=resident)
        .select_related("slot", "slot__site")
        .order_by("-slot__start")
    )


# --- The steps of a booking --------------------------------------------------------------------------


def _check_vehicle(details: VisitDetails) -> tuple[str, str]:
    try:
        registration = normalise_registration(details.registration)
    except RegistrationError as error:
        raise BookingError(str(error)) from error
    if details.vehicle_type not in VehicleType.values:
        raise BookingError("Select the type of vehicle")
    permit = ""
    if details.vehicle_type in VehicleType.needing_permit():
        permit = normalise_permit(details.permit_number)
    if not details.waste_types:
        raise BookingError("Select what you are bringing")
    return registration, permit


def _check_time(details: VisitDetails, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    if not details.site.active:
        raise BookingError("This site is not taking bookings")
    times = availability.find_slot_time(details.site, details.slot_key)
    if times is None:
        raise BookingError("The site is not open at that time. Choose another time")
    start, end = times
    if start <= now:
        raise BookingError("That time has passed. Choose a time in the future")
    first, last = availability.booking_window(now)
    if not first <= availability.local_today(start) <= last:
        raise BookingError(f"You can only book up to {settings.TIP_BOOKING_WINDOW_DAYS} days ahead")
    return start, end


def _slot_row(site: Site, start: datetime.datetime, end: datetime.datetime) -> Slot:
    """Get or create the slot row. Two first bookings of a time may race to create it: the unique
    constraint lets one insert win and the other, on IntegrityError, reads the winner's row."""
    try:
        return Slot.objects.get(site=site, start=start)
    except Slot.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return Slot.objects.create(site=site, start=start, end=end, capacity=site.places_per_slot)
    except IntegrityError:
        return Slot.objects.get(site=site, start=start)


def _lock_household_and_account(household_key: str, resident_id: int) -> None:
    # PostgreSQL runs transactions side by side, so two bookings for one home (or one account, whose
    # address may have been retyped in between) could both pass the limit check; these locks (released
    # at commit) make them take turns. Always household first, then account, so no two transactions
    # wait for each other. SQLite's IMMEDIATE transactions already let only one writer in at a time.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [household_key])
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"tips-account:{resident_id}"])


def lock_slots(slot_ids: list[int]) -> list[Slot]:
    """Lock slot rows for the rest of the transaction, always in primary-key order.

    Every transaction that locks more than one slot goes through here, so they all queue for the rows
    in the same order and never deadlock. On SQLite `select_for_update` does nothing: IMMEDIATE
    transactions already serialise writers.
    """
    return list(Slot.objects.select_for_update().filter(pk__in=sorted(set(slot_ids))).order_by("pk"))


def _check_visit_limit(
    household_key: str, resident_id: int, start: datetime.datetime, *, exclude: int | None
) -> None:
    """At most TIP_BOOKINGS_PER_HOUSEHOLD active visits in any 28-day window, per household and per
    account.

    Precisely: for every run of 28 consecutive days that contains the new visit's date, the active
    (booked or checked-in) visits dated in that run that belong to the household *or* were booked for the
    account, plus the new one, must not exceed the limit. Counting the account too means retyping the
    address (which changes the household key) does not give a fresh allowance. Only visits within 27 days
    either side of the new date can share such a run, so only those are read. Cancelled visits do not
    count; the booking being changed (`exclude`) does not count either.
    """
    limit = settings.TIP_BOOKINGS_PER_HOUSEHOLD
    day = availability.local_today(start)
    span = datetime.timedelta(days=HOUSEHOLD_WINDOW_DAYS - 1)
    dates = list(
        Booking.objects.filter(
            Q(household_key=household_key) | Q(resident_id=resident_id),
            status__in=ACTIVE_STATUSES,
            slot_date__range=(day - span, day + span),
        )
        .exclude(pk=exclude)
        .values_list("slot_date", flat=True)
    )
    for offset in range(HOUSEHOLD_WINDOW_DAYS):
        first = day - datetime.timedelta(days=offset)
        in_window = sum(1 for d in dates if first <= d <= first + span)
        if in_window + 1 > limit:
            raise VisitLimitError(
                f"You or your household already have {in_window} visits booked close to this date. "
                f"Each household can book up to {limit} visits in any {HOUSEHOLD_WINDOW_DAYS} days. "
                "Choose another day"
            )


def _check_registration_free(registration: str, start: datetime.datetime, *, exclude: int | None) -> None:
    day = availability.local_today(start)
    taken = Booking.objects.filter(registration=registration, slot_date=day, status__in=ACTIVE_STATUSES)
    if taken.exclude(pk=exclude).exists():
        raise _registration_taken(registration, day)


def _take_place(slot: Slot) -> None:
    taken = Slot.objects.filter(pk=slot.pk, places_booked__lt=F("capacity")).update(
        places_booked=F("places_booked") + 1
    )
    if taken != 1:
        raise SlotFullError("The time you chose is now fully booked. Choose another time")


def _free_place(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, places_booked__gt=0).update(places_booked=F("places_booked") - 1)


def _explain_integrity_error(error: IntegrityError, registration: str, start: datetime.datetime) -> None:
    """Turn the per-vehicle-per-day constraint into the friendly error; leave other errors to the caller."""
    day = availability.local_today(start)
    if Booking.objects.filter(registration=registration, slot_date=day, status__in=ACTIVE_STATUSES).exists():
        raise _registration_taken(registration, day) from error


def _registration_taken(registration: str, day: datetime.date) -> RegistrationTakenError:
    return RegistrationTakenError(
        f"{registration} already has a visit booked on {day:%-d %B %Y}. A vehicle can visit once a day"
    )
