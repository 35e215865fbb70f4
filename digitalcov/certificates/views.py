"""The resident's journey: order copies of a certificate, pay, and follow the order.

Every page is a plain link or form, so the journey works with JavaScript off. Answers stay in the
session until the resident confirms on the check-your-answers page. Residents only ever reach their
own orders: anyone else's reference is a 404.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from digitalcov.core.acting import resident_required
from digitalcov.core.audit import record_for_request

from . import services
from .forms import CertificateTypeForm, CopiesForm, DeliveryAddressForm, ServiceLevelForm
from .journey import DETAIL_STEPS, SESSION_KEY, detail_step, first_missing, from_session, to_session
from .models import CertificateType, Order, OrderStatus, Payment, PaymentStatus, ServiceLevel
from .payments import PaymentProviderError

FAILURE_REASONS = {
    "P0010": "Your payment was declined. No money has been taken.",
    "P0020": "Your payment session timed out. No money has been taken.",
    "P0030": "You cancelled your payment. No money has been taken.",
    "P0040": "The payment was cancelled. No money has been taken.",
    "P0050": "There was a problem with the payment service. No money has been taken.",
}


def start(request):
    """The start page: what the service does, what it costs, and a Start now button."""
    return render(request, "certificates/start.html", {"fees": services.fee_schedule()})


def _data(request):
    """The posted data, or None for a GET (an empty POST must still show "required" errors)."""
    return request.POST if request.method == "POST" else None


def _answers(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _save(request, values: dict) -> None:
    answers = _answers(request)
    answers.update(to_session(values))
    request.session[SESSION_KEY] = answers


def _next(request, default: str, args=None):
    """Go on to the next page, or straight back to check your answers after a Change link."""
    if request.GET.get("change"):
        return redirect("certificates:check")
    return redirect(default, *(args or []))


def _question(request, form, *, title: str, heading: str = "", back: str = "", caption: str = ""):
    return render(
        request,
        "certificates/question.html",
        {"form": form, "title": title, "heading": heading, "back": back, "caption": caption},
    )


@resident_required
def certificate_type(request):
    answers = _answers(request)
    form = CertificateTypeForm(_data(request), initial=from_session(answers, CertificateTypeForm))
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["certificate_type"]
        if chosen != answers.get("certificate_type"):
            # A different certificate asks different questions: forget the old type's details.
            request.session[SESSION_KEY] = {
                key: value for key, value in answers.items() if key not in services.EVENT_FIELDS
            }
        _save(request, {"certificate_type": chosen})
        first = DETAIL_STEPS[chosen][0].slug
        if request.GET.get("change"):
            return redirect(reverse("certificates:details", args=[first]) + "?change=1")
        return redirect("certificates:details", first)
    return _question(
        request, form, title="Which certificate do you need?", back=reverse("certificates:start")
    )


@resident_required
def details(request, step: str):
    answers = _answers(request)
    certificate_type = answers.get("certificate_type")
    found = detail_step(certificate_type, step)
    if found is None:
        return redirect("certificates:type")
    steps = DETAIL_STEPS[certificate_type]
    index = steps.index(found)
    form = found.form(_data(request), initial=from_session(answers, found.form))
    if request.method == "POST" and form.is_valid():
        _save(request, form.cleaned_data)
        if request.GET.get("change"):
            # Keep going through this type's pages only while something is still missing.
            missing = first_missing(_answers(request))
            if missing and missing[0] == "certificates:details":
                return redirect(reverse(missing[0], args=missing[1]) + "?change=1")
            return redirect("certificates:check")
        if index + 1 < len(steps):
            return redirect("certificates:details", steps[index + 1].slug)
        return redirect("certificates:copies")
    back = (
        reverse("certificates:details", args=[steps[index - 1].slug])
        if index
        else reverse("certificates:type")
    )
    return _question(
        request,
        form,
        title=found.title,
        heading=found.heading,
        back=back,
        caption=CertificateType(certificate_type).label,
    )


@resident_required
def copies(request):
    answers = _answers(request)
    if not answers.get("certificate_type"):
        return redirect("certificates:type")
    form = CopiesForm(_data(request), initial=from_session(answers, CopiesForm))
    if request.method == "POST" and form.is_valid():
        _save(request, form.cleaned_data)
        return _next(request, "certificates:service")
    last = DETAIL_STEPS[answers["certificate_type"]][-1].slug
    return _question(
        request,
        form,
        title="How many copies do you need?",
        back=reverse("certificates:details", args=[last]),
    )


@resident_required
def service_level(request):
    answers = _answers(request)
    if not answers.get("certificate_type"):
        return redirect("certificates:type")
    form = ServiceLevelForm(
        _data(request),
        certificate_type=answers["certificate_type"],
        initial=from_session(answers, ServiceLevelForm),
    )
    if request.method == "POST" and form.is_valid():
        _save(request, form.cleaned_data)
        return _next(request, "certificates:address")
    return _question(request, form, title="How quickly do you need it?", back=reverse("certificates:copies"))


@resident_required
def address(request):
    answers = _answers(request)
    if not answers.get("certificate_type"):
        return redirect("certificates:type")
    resident = request.acting.resident
    initial = from_session(answers, DeliveryAddressForm) or {
        # Prefill from the resident's account: most people want it posted home.
        "address_line_1": resident.address_line_1,
        "address_line_2": resident.address_line_2,
        "town": resident.town,
        "postcode": resident.postcode,
    }
    form = DeliveryAddressForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        _save(request, form.cleaned_data)
        return redirect("certificates:check")
    return _question(
        request,
        form,
        title="Where should we post the certificate?",
        heading="Where should we post the certificate?",
        back=reverse("certificates:service"),
    )


def _summary_rows(answers: dict) -> list[tuple[str, str, str]]:
    """(question, answer, change link) for check your answers."""
    certificate_type = answers["certificate_type"]
    rows = [
        ("Certificate", CertificateType(certificate_type).label, reverse("certificates:type") + "?change=1")
    ]
    for step in DETAIL_STEPS[certificate_type]:
        form = step.form()
        link = reverse("certificates:details", args=[step.slug]) + "?change=1"
        for name, field in form.fields.items():
            value = answers.get(name)
            if name == "event_date" and value:
                day = datetime.date.fromisoformat(value)
                value = f"{day.day} {day:%B %Y}"  # not strftime("%-d"): that is glibc-only
            rows.append((str(field.label).replace(" (optional)", ""), str(value or "Not given"), link))
    rows.append(("Number of copies", str(answers["copies"]), reverse("certificates:copies") + "?change=1"))
    rows.append(
        (
            "Service",
            ServiceLevel(answers["service_level"]).label,
            reverse("certificates:service") + "?change=1",
        )
    )
    keys = ("address_line_1", "address_line_2", "town", "postcode")
    address = ", ".join(answers[key] for key in keys if answers.get(key))
    rows.append(("Post to", address, reverse("certificates:address") + "?change=1"))
    return rows


# The journey's idempotency key lives with the answers; once placed, the session remembers which order
# the key made, so a second click on "Continue to payment" goes to that order instead of a new one.
IDEMPOTENCY_KEY = "idempotency_key"


@resident_required
def check(request):
    answers = _answers(request)
    if request.method == "POST" and not answers:
        placed = _already_placed(request)
        if placed is not None:  # a second click after the first one placed the order
            return _pay(request, placed)
    missing = first_missing(answers)
    if missing:
        return redirect(missing[0], *missing[1])
    if IDEMPOTENCY_KEY not in answers:
        answers[IDEMPOTENCY_KEY] = secrets.token_urlsafe(24)
        request.session[SESSION_KEY] = answers
    error = ""
    if request.method == "POST":
        try:
            order = services.place_order(
                resident=request.acting.resident,
                acting=request.acting,
                answers=answers,
                idempotency_key=answers[IDEMPOTENCY_KEY],
            )
        except services.OrderError as problem:
            error = str(problem)
        else:
            request.session.pop(SESSION_KEY, None)
            return _pay(request, order)
    try:
        priced = services.quote(answers["certificate_type"], answers["service_level"], answers["copies"])
    except services.OrderError as problem:
        priced, error = None, error or str(problem)
    return render(
        request,
        "certificates/check.html",
        {
            "rows": _summary_rows(answers),
            "fee": services.pounds(priced.fee.amount_pence) if priced else "",
            "copies": priced.copies if priced else answers["copies"],
            "total": services.pounds(priced.total_pence) if priced else "",
            "error": error,
            "pay_at_office": _pays_at_office(),
            "idempotency_key": answers[IDEMPOTENCY_KEY],
        },
    )


def _already_placed(request) -> Order | None:
    """The acting resident's order made with the idempotency key this form was posted with, if any."""
    key = request.POST.get(IDEMPOTENCY_KEY, "")
    if not key:
        return None
    return Order.objects.filter(idempotency_key=key, resident=request.acting.resident).first()


def _pays_at_office() -> bool:
    return settings.PAYMENT_PROVIDER == "pay_at_office"


def _pay(request, order: Order):
    """Start a payment and send the resident wherever the provider says."""
    return_url = request.build_absolute_uri(
        reverse("certificates:payment-return", args=[order.reference, "TOKEN"])
    ).replace("TOKEN", "{token}")
    try:
        started = services.start_payment(order, return_url, request.acting)
    except PaymentProviderError:
        return _payment_service_error(request, order)
    except services.OrderError:
        # Nothing to pay: already placed or paid (a second click, an earlier payment that succeeded), or
        # cancelled. The confirmation page shows a placed order and sends anything else to the order page.
        return redirect("certificates:confirmation", order.reference)
    if started.redirect:
        return redirect(started.next_url)
    return redirect("certificates:confirmation", order.reference)


def _payment_service_error(request, order: Order):
    return render(request, "certificates/payment_service_error.html", {"order": order}, status=503)


def _own_order(request, reference: str) -> Order:
    """The acting resident's order, or 404 (also for other residents' orders, so none are revealed)."""
    return get_object_or_404(Order, reference=reference, resident=request.acting.resident)


@resident_required
def confirmation(request, reference: str):
    order = _own_order(request, reference)
    if services.can_pay(order) or order.status == OrderStatus.CANCELLED:
        return redirect(order)
    return render(request, "certificates/confirmation.html", {"order": order})


@resident_required
def order_detail(request, reference: str):
    order = _own_order(request, reference)
    # A payment may have finished while the resident's browser was away: ask (only if one is unfinished).
    in_progress = services.check_unfinished_payments(order, request.acting)
    record_for_request(request, "certificates.order_viewed", order)
    return render(
        request,
        "certificates/order.html",
        {
            "order": order,
            "history": order.status_changes.all(),
            "status_words": services.RESIDENT_STATUS_WORDS,
            "payment_in_progress": in_progress,
            "can_pay": services.can_pay(order) and in_progress is None,
            "can_cancel": order.status in services.CANCELLABLE_BY_RESIDENT and in_progress is None,
            "refund_due": [payment for payment in order.payments.all() if payment.needs_refund],
        },
    )


@resident_required
def my_orders(request):
    orders = services.orders_for(request.acting.resident)
    return render(request, "certificates/my_orders.html", {"orders": orders})


@require_POST
@resident_required
def pay(request, reference: str):
    """Try paying again (after a failed, cancelled or expired payment, or a provider error)."""
    order = _own_order(request, reference)
    if not services.can_pay(order):
        return redirect(order)
    return _pay(request, order)


@require_POST
@resident_required
def cancel(request, reference: str):
    order = _own_order(request, reference)
    try:
        services.cancel_by_resident(order, request.acting)
    except services.OrderError as problem:  # already paid, or a payment still going through
        messages.error(request, str(problem))
    return redirect(order)


@resident_required
def payment_return(request, reference: str, token: str):
    """Where the provider sends the payer back. We ignore the query string and ask the provider."""
    order = _own_order(request, reference)
    payment = get_object_or_404(Payment, order=order, return_token=token)
    try:
        status = services.confirm_payment(payment, request.acting)
    except PaymentProviderError:
        return _payment_service_error(request, order)
    order.refresh_from_db()
    if status == PaymentStatus.SUCCESS:
        return redirect("certificates:confirmation", order.reference)
    if payment.is_finished:
        if order.status == OrderStatus.PAID:  # an older attempt failed, but a later one succeeded
            return redirect(order)
        reason = FAILURE_REASONS.get(payment.failure_code, "Your payment was not completed.")
        return render(
            request,
            "certificates/payment_failed.html",
            {"order": order, "reason": reason, "can_retry": order.status == OrderStatus.PAYMENT_FAILED},
        )
    return render(request, "certificates/payment_checking.html", {"order": order, "payment": payment})
