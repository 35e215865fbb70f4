from django.urls import path

from . import views

app_name = "myaccount"
urlpatterns = [
    path("", views.home, name="home"),
    path("customer-service", views.agent_home, name="agent-home"),
    path("customer-service/record-resident", views.record_resident, name="record-resident"),
    path("customer-service/act-for/<int:resident_id>", views.act_for, name="act-for"),
    path("customer-service/stop-acting", views.stop_acting, name="stop-acting"),
]
