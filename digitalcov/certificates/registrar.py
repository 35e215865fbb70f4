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
from .models import Order, OrderStatus

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


@staff_area(PERMISSION)
def home(request):
    query = request.GET.get("q", "").strip()
    if query:
        found = services.find_order(query)
        if found is not None:
            return redirect("certificates:registrar-order", found.reference)
        messages.error(request, "No order has that reference")
    status = request.GET.get("status") or OrderStatus.RECEIVED
    if status not in OrderStatus.values:
        status = OrderStatus.RECEIVED
    counts = services.status_counts()
    tabs = [(value, OrderStatus(value).label, counts[value]) for value in TABS]
    orders = Order.objects.filter(status=status).order_by("created_at")[:200]
    record_for_request(request, "certificates.orders_listed", None, status=status)
    return render(
        request,
        "certificates/registrar/home.html",
        {"tabs": tabs, "current": status, "current_label": OrderStatus(status).label, "orders": orders},
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
            "payments": order.payments.all(),
            "note_form": note_form or NoteForm(),
            "status_form": status_form or StatusForm(order=order),
            "form": note_form if note_form is not None and note_form.errors else status_form,
        },
        status=status,
    )


@staff_area(PERMISSION)
def order_detail(request, reference: str):
    return _detail(request, get_object_or_404(Order, reference=reference))


@require_POST
@staff_area(PERMISSION)
def add_note(request, reference: str):
    order = get_object_or_404(Order, reference=reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, order, note_form=form, status=400)
    services.add_note(order, request.user, form.cleaned_data["text"])
    messages.success(request, "Note added")
    return redirect(reverse("certificates:registrar-order", args=[order.reference]) + "#notes")


@require_POST
@staff_area(PERMISSION)
def change_status(request, reference: str):
    order = get_object_or_404(Order, reference=reference)
    form = StatusForm(request.POST, order=order)
    if form.is_valid():
        try:
            order = services.change_status(order, form.cleaned_data["status"], request.user)
        except services.OrderError as problem:
            form.add_error("status", str(problem))
        else:
            messages.success(request, f"Status changed to “{order.get_status_display()}”")
            return redirect("certificates:registrar-order", order.reference)
    return _detail(request, order, status_form=form, status=400)
