"""The resident's journey: order copies of a certificate, pay, and follow the order.

Every page is a plain link or form, so the journey works with JavaScript off. Answers stay in the
session until the resident confirms on the check-your-answers page. Residents only ever reach their
own orders: anyone else's reference is a 404.
"""

from __future__ import annotations

import contextlib
import datetime

from django.conf import settings
from django.http import Http404
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
                value = datetime.date.fromisoformat(value).strftime("%-d %B %Y")
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


@resident_required
def check(request):
    answers = _answers(request)
    missing = first_missing(answers)
    if missing:
        return redirect(missing[0], *missing[1])
    fee = services.current_fee(answers["certificate_type"], answers["service_level"])
    if fee is None:
        raise Http404("No fee is set for this certificate")
    copies_count = int(answers["copies"])
    error = ""
    if request.method == "POST":
        try:
            order = services.place_order(
                resident=request.acting.resident,
                actor=services.Actor.from_acting(request.acting),
                answers=answers,
            )
        except services.OrderError as problem:
            error = str(problem)
        else:
            request.session.pop(SESSION_KEY, None)
            return _pay(request, order)
    return render(
        request,
        "certificates/check.html",
        {
            "rows": _summary_rows(answers),
            "fee": services.pounds(fee.amount_pence),
            "copies": copies_count,
            "total": services.pounds(fee.amount_pence * copies_count),
            "error": error,
            "pay_at_office": _pays_at_office(),
        },
    )


def _pays_at_office() -> bool:
    return settings.PAYMENT_PROVIDER == "pay_at_office"


def _pay(request, order: Order):
    """Start a payment and send the resident wherever the provider says."""
    return_url = request.build_absolute_uri(
        reverse("certificates:payment-return", args=[order.reference, "TOKEN"])
    ).replace("TOKEN", "{token}")
    try:
        started = services.start_payment(order, return_url, services.Actor.from_acting(request.acting))
    except PaymentProviderError:
        return _payment_service_error(request, order)
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
    if order.status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAYMENT_FAILED, OrderStatus.CANCELLED):
        return redirect(order)
    return render(request, "certificates/confirmation.html", {"order": order})


@resident_required
def order_detail(request, reference: str):
    order = _own_order(request, reference)
    record_for_request(request, "certificates.order_viewed", order)
    return render(
        request,
        "certificates/order.html",
        {
            "order": order,
            "history": order.status_changes.all(),
            "status_words": services.RESIDENT_STATUS_WORDS,
            "can_pay": order.status in (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAYMENT_FAILED),
            "can_cancel": order.status in services.CANCELLABLE_BY_RESIDENT,
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
    if order.status not in (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAYMENT_FAILED):
        return redirect(order)
    return _pay(request, order)


@require_POST
@resident_required
def cancel(request, reference: str):
    order = _own_order(request, reference)
    # If it cannot be cancelled (already paid), the order page explains what they can do instead.
    with contextlib.suppress(services.OrderError):
        services.cancel_by_resident(order, services.Actor.from_acting(request.acting))
    return redirect(order)


@resident_required
def payment_return(request, reference: str, token: str):
    """Where the provider sends the payer back. We ignore the query string and ask the provider."""
    order = _own_order(request, reference)
    payment = get_object_or_404(Payment, order=order, return_token=token)
    try:
        status = services.confirm_payment(payment, services.Actor.from_acting(request.acting))
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
