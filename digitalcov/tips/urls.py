from django.urls import path

from digitalcov.core import views as core_views

app_name = "tips"
urlpatterns = [
    path("", core_views.home, name="start"),
    path("staff", core_views.home, name="staff-home"),
]
