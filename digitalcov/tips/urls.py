"""Tip visit bookings, mounted at /tip-bookings/."""

from django.urls import path

from . import staff_views, views

app_name = "tips"
urlpatterns = [
    path("", views.start, name="start"),
    path("book", views.begin, name="begin"),
    path("book/centre", views.choose_site, name="site"),
    path("book/day", views.choose_date, name="date"),
    path("book/time", views.choose_slot, name="slot"),
    path("book/vehicle-registration", views.vehicle_registration, name="registration"),
    path("book/vehicle-type", views.vehicle_type, name="vehicle-type"),
    path("book/permit", views.permit, name="permit"),
    path("book/waste", views.waste, name="waste"),
    path("book/check", views.check_answers, name="check"),
    path("booked/<str:reference>", views.done, name="done"),
    path("bookings/<str:reference>", views.booking_detail, name="booking"),
    path("bookings/<str:reference>/change", views.change_booking, name="change"),
    path("bookings/<str:reference>/cancel", views.cancel_booking, name="cancel"),
    path("bookings/<str:reference>/cancelled", views.cancelled, name="cancelled"),
    path("staff", staff_views.staff_home, name="staff-home"),
    path("staff/find", staff_views.staff_find, name="staff-find"),
    path("staff/bookings/<str:reference>", staff_views.staff_booking, name="staff-booking"),
    path("staff/bookings/<str:reference>/check-in", staff_views.staff_check_in, name="staff-check-in"),
]
