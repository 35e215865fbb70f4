"""Account journeys (placeholder until the accounts journeys land)."""

from django.contrib.auth import views as auth_views

sign_in = auth_views.LoginView.as_view(template_name="accounts/sign_in.html")
sign_out = auth_views.LogoutView.as_view()
register = sign_in
