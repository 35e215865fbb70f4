from django.urls import path

from digitalcov.core import views as core_views

app_name = "myaccount"
urlpatterns = [
    path("", core_views.home, name="home"),
    path("customer-service", core_views.home, name="agent-home"),
    path("stop-acting", core_views.home, name="stop-acting"),
]
