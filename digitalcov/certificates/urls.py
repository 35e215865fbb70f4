"""Copy certificate orders, mounted at /certificates/."""

from django.urls import path

from . import registrar, views

app_name = "certificates"
urlpatterns = [
    path("", views.start, name="start"),
    path("order/type", views.certificate_type, name="type"),
    path("order/details/<slug:step>", views.details, name="details"),
    path("order/copies", views.copies, name="copies"),
    path("order/service", views.service_level, name="service"),
    path("order/address", views.address, name="address"),
    path("order/check", views.check, name="check"),
    path("orders", views.my_orders, name="my-orders"),
    path("orders/<str:reference>", views.order_detail, name="order"),
    path("orders/<str:reference>/confirmation", views.confirmation, name="confirmation"),
    path("orders/<str:reference>/pay", views.pay, name="pay"),
    path("orders/<str:reference>/cancel", views.cancel, name="cancel"),
    path("orders/<str:reference>/payments/<str:token>", views.payment_return, name="payment-return"),
    path("registrar", registrar.home, name="registrar-home"),
    path("registrar/orders/<str:reference>", registrar.order_detail, name="registrar-order"),
    path("registrar/orders/<str:reference>/notes", registrar.add_note, name="registrar-add-note"),
    path("registrar/orders/<str:reference>/status", registrar.change_status, name="registrar-status"),
    path(
        "registrar/orders/<str:reference>/payments/<int:payment_id>/refunded",
        registrar.record_refund,
        name="registrar-refunded",
    ),
]
