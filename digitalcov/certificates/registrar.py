"""The registrars' back office: orders by status, an order's full details, notes and status changes.

Every page needs the "certificates.process_orders" permission (the Registrar role); other staff get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from digitalcov.core.audit import record_for_request
from digitalcov.core.roles import staff_area

from . import services
from .forms import NoteForm, StatusForm
from .models import Order, OrderStatus, Payment

PERMISSION = "certificates.process_orders"
# The tabs, in the order the work flows.
TABS = [
    OrderStatus.RECEIVED,
    OrderStatus.PAID,
    OrderStatus.SEARCHING,
    OrderStatus.ISSUED,
    OrderStatus.NOT_FOUND,
    OrderStatus.AWAITING_PAYMENT,
    OrderStatus.PAYMENT_FAILED,
    OrderStatus.CANCELLED,
]
# Not a status: orders with a payment the council must give back. Listed first and flagged on every page.
REFUND_NEEDED = "refund_needed"


@staff_area(PERMISSION)
def home(request):
    query = request.GET.get("q", "").strip()
    if query:
        found = services.find_order(query)
        if found is not None:
            return redirect("certificates:registrar-order", found.reference)
        messages.error(request, "No order has that reference")
    counts = services.status_counts()
    refunds = services.orders_needing_refund()
    refund_count = refunds.count()
    status = request.GET.get("status") or OrderStatus.RECEIVED
    if status not in OrderStatus.values and status != REFUND_NEEDED:
        status = OrderStatus.RECEIVED
    tabs = [(REFUND_NEEDED, "Refund needed", refund_count)]
    tabs += [(value, OrderStatus(value).label, counts[value]) for value in TABS]
    if status == REFUND_NEEDED:
        label, orders = "Refund needed", refunds[:200]
    else:
        label, orders = (
            OrderStatus(status).label,
            Order.objects.filter(status=status).order_by("created_at")[:200],
        )
    record_for_request(request, "certificates.orders_listed", None, status=status)
    return render(
        request,
        "certificates/registrar/home.html",
        {
            "tabs": tabs,
            "current": status,
            "current_label": label,
            "orders": orders,
            "refund_count": refund_count,
        },
    )


def _detail(request, order: Order, *, note_form=None, status_form=None, status=200):
    record_for_request(request, "certificates.order_viewed", order)
    return render(
        request,
        "certificates/registrar/order.html",
        {
            "order": order,
            "history": order.status_changes.select_related("changed_by"),
            "notes": order.notes.select_related("author"),
            "payments": order.payments.select_related("refund_recorded_by"),
            "refunds_needed": [payment for payment in order.payments.all() if payment.needs_refund],
            "note_form": note_form or NoteForm(),
            "status_form": status_form or StatusForm(order=order),
            "form": note_form if note_form is not None and note_form.errors else status_form,
        },
        status=status,
    )


@staff_area(PERMISSION)
def order_detail(request, reference: str):
    order = get_object_or_404(Order, reference=reference)
    # Settle any payment that finished while the payer's browser was away (only asks if one is unfinished).
    services.check_unfinished_payments(order, _acting(request))
    return _detail(request, order)


def _acting(request):
    """The registrar acting in their own right (never as an agent acting for someone)."""
    return services.staff_acting(request.user)


@require_POST
@staff_area(PERMISSION)
def add_note(request, reference: str):
    order = get_object_or_404(Order, reference=reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, order, note_form=form, status=400)
    services.add_note(order, _acting(request), form.cleaned_data["text"])
    messages.success(request, "Note added")
    return redirect(reverse("certificates:registrar-order", args=[order.reference]) + "#notes")


@require_POST
@staff_area(PERMISSION)
def change_status(request, reference: str):
    order = get_object_or_404(Order, reference=reference)
    form = StatusForm(request.POST, order=order)
    if form.is_valid():
        try:
            order = services.change_status(order, form.cleaned_data["status"], _acting(request))
        except services.OrderError as problem:
            form.add_error("status", str(problem))
        else:
            messages.success(request, f"Status changed to “{order.get_status_display()}”")
            return redirect("certificates:registrar-order", order.reference)
    return _detail(request, order, status_form=form, status=400)


@require_POST
@staff_area(PERMISSION)
def record_refund(request, reference: str, payment_id: int):
    """The registrar has refunded a payment (in GOV.UK Pay's admin tool, or at the office)."""
    payment = get_object_or_404(Payment, pk=payment_id, order__reference=reference)
    try:
        services.record_refund(payment, _acting(request))
    except services.OrderError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, f"Refund of {payment.amount_pounds} recorded")
    return redirect("certificates:registrar-order", reference)
