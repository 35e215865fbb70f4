"""Account pages, under /account/."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("register", views.register, name="register"),
    path("register/check-your-email", views.register_check_email, name="register-check-email"),
    path("confirm-email", views.confirm_email_prompt, name="confirm-email-prompt"),
    path("confirm-email/send-again", views.resend_confirmation, name="resend-confirmation"),
    path("confirm-email/<str:token>", views.confirm_email, name="confirm-email"),
    path("sign-in", views.sign_in, name="sign-in"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("password-reset", views.password_reset, name="password-reset"),
    path("password-reset/check-your-email", views.password_reset_sent, name="password-reset-sent"),
    path("password-reset/done", views.password_reset_done, name="password-reset-done"),
    path("password-reset/<uidb64>/<token>", views.password_reset_confirm, name="password-reset-confirm"),
    path("details", views.details, name="details"),
    path("details/email", views.change_email, name="change-email"),
    path("details/email/check-your-email", views.change_email_sent, name="change-email-sent"),
    path("details/password", views.change_password, name="change-password"),
    path("details/name", views.change_detail, {"section": "name"}, name="change-name"),
    path("details/address", views.change_detail, {"section": "address"}, name="change-address"),
    path("details/phone", views.change_detail, {"section": "phone"}, name="change-phone"),
    path("download-your-data", views.download_data, name="download-data"),
    path("download-your-data/file", views.download_data_file, name="download-data-file"),
    path("delete", views.delete_account, name="delete-account"),
    path("deleted", views.account_deleted, name="account-deleted"),
]
