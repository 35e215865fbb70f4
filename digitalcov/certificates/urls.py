from django.urls import path

from digitalcov.core import views as core_views

app_name = "certificates"
urlpatterns = [
    path("", core_views.home, name="start"),
    path("registrar", core_views.home, name="registrar-home"),
]
