"""Account journeys: create an account, confirm an email address, sign in and out, reset a forgotten
password, "Your details", change password, download your data and delete your account.

Views only move data between forms, `services` and templates; every rule lives in `services.py`.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from digitalcov.core.acting import resident_required

from . import forms, services, throttling, tokens

ERASURE_NOTES_SESSION_KEY = "accounts_erasure_notes"


def _safe_next(request, default: str) -> str:
    """Where to go after signing in: ?next= only if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _posted(request):
    """The submitted data on POST (even when empty, so an empty form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def _own_account_only(request) -> None:
    """Password, data download and deletion are for the account holder, never an agent acting."""
    if request.acting.is_assisted:
        raise PermissionDenied


# --- Create an account and confirm the email address -----------------------------------------------


@sensitive_post_parameters("password", "password_confirm")
def register(request):
    """ "Create an account": name, email address and a password twice."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = forms.RegisterForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.register(
            form.cleaned_data["full_name"],
            form.cleaned_data["email"],
            form.cleaned_data["password"],
            ip=throttling.client_ip(request),
        )
        request.session["accounts_registered_email"] = form.cleaned_data["email"].lower()
        return redirect("accounts:register-check-email")
    return render(request, "accounts/register.html", {"form": form})


def register_check_email(request):
    """ "Check your email" after registering (shown whether or not the address was new)."""
    email = request.session.get("accounts_registered_email", "")
    hours = tokens.email_verification_timeout() // 3600
    return render(request, "accounts/register_check_email.html", {"email": email, "hours": hours})


def confirm_email(request, token: str):
    """The link in a confirmation email."""
    user = services.confirm_email(token)
    if user is None:
        hours = tokens.email_verification_timeout() // 3600
        return render(request, "accounts/confirm_email_invalid.html", {"hours": hours}, status=400)
    return render(request, "accounts/confirm_email_done.html", {"confirmed_user": user})


@login_required
def confirm_email_prompt(request):
    """Shown after signing in while the email address (or a new one) is not confirmed."""
    user = request.user
    waiting = user.pending_email or (user.email if not user.email_verified else "")
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    return render(
        request, "accounts/confirm_email_prompt.html", {"waiting_email": waiting, "next_url": next_url}
    )


@login_required
@require_POST
def resend_confirmation(request):
    """Send the confirmation link again (POST, from the prompt page)."""
    resent = services.resend_confirmation(request.user, ip=throttling.client_ip(request))
    if resent is not None and resent.sent:
        messages.success(request, f"We have sent a new link to {resent.email}")
    elif resent is not None:
        # Only ever the signed-in person's own address, so saying so reveals nothing about anyone else.
        messages.success(
            request,
            f"We have already sent a link to {resent.email} recently. Check your inbox and spam folder, "
            "or wait a few minutes and ask again",
        )
    return redirect("accounts:confirm-email-prompt")


# --- Sign in and out --------------------------------------------------------------------------------


@sensitive_post_parameters("password")
def sign_in(request):
    """Sign in with an email address and password; throttled (see `throttling.py`)."""
    form = forms.SignInForm(_posted(request))
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in(request, form.cleaned_data["email"], form.cleaned_data["password"])
        except services.SignInRefused as refusal:
            form.add_error(None if refusal.locked else "email", refusal.message)
        else:
            login(request, user)
            if not user.email_verified or user.pending_email:
                prompt = reverse("accounts:confirm-email-prompt")
                return redirect(f"{prompt}?{urlencode({'next': next_url})}")
            return redirect(next_url)
    return render(request, "accounts/sign_in.html", {"form": form, "next_url": next_url})


@require_POST
def sign_out(request):
    """Sign out (POST only, so a link or an image cannot sign anyone out)."""
    if request.user.is_authenticated:
        services.signed_out(request.user)
    logout(request)
    messages.success(request, "You have signed out")
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- Forgotten password -----------------------------------------------------------------------------


def password_reset(request):
    """Ask for a password reset link."""
    form = forms.PasswordResetRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.request_password_reset(form.cleaned_data["email"], ip=throttling.client_ip(request))
        request.session["accounts_reset_email"] = form.cleaned_data["email"]
        return redirect("accounts:password-reset-sent")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request):
    """The same "check your email" page whether or not the address has an account."""
    email = request.session.get("accounts_reset_email", "")
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    return render(request, "accounts/password_reset_sent.html", {"email": email, "hours": hours})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset-link view (it moves the token into the session so it never leaks in a Referer
    header), with GOV.UK wording, our audit and a clean-up of old sign-in failures."""

    form_class = forms.GovukSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_completed(form.user)
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()


def password_reset_done(request):
    """Confirmation that the new password is saved."""
    return render(request, "accounts/password_reset_done.html")


# --- Your details -----------------------------------------------------------------------------------


@resident_required
def details(request):
    """ "Your details": a summary list with a Change link for each answer."""
    resident = services.view_details(request.acting)
    context = {"resident": resident, "can_change_email": services.can_change_email(request.acting)}
    return render(request, "accounts/details.html", context)


# section: (form, page heading, message once changed)
DETAIL_PAGES = {
    "name": (forms.NameForm, "Change your name", "Your name has been updated"),
    "address": (forms.AddressForm, "Change your address", "Your address has been updated"),
    "phone": (forms.PhoneForm, "Change your telephone number", "Your telephone number has been updated"),
}


@resident_required
def change_detail(request, section: str):
    """One "Change your ..." page for name, address or telephone number."""
    form_class, heading, done_message = DETAIL_PAGES[section]
    resident = request.acting.resident
    initial = {name: getattr(resident, name) for name in form_class.base_fields}
    if section == "phone":
        initial["phone"] = resident.phone_display
    form = form_class(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = services.update_details(request.acting, form.cleaned_data)
        messages.success(request, done_message if changed else "You did not change anything")
        return redirect("accounts:details")
    return render(request, "accounts/change_detail.html", {"form": form, "heading": heading})


@resident_required
def change_email(request):
    """Ask for a new email address; it changes once the link sent to it is followed."""
    if not services.can_change_email(request.acting):
        return render(
            request,
            "accounts/change_email.html",
            {"refused": services.EmailChangeRefused.message},
            status=403,
        )
    form = forms.EmailChangeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.request_email_change(
            request.acting, form.cleaned_data["email"], ip=throttling.client_ip(request)
        )
        request.session["accounts_new_email"] = form.cleaned_data["email"]
        return redirect("accounts:change-email-sent")
    return render(request, "accounts/change_email.html", {"form": form})


@resident_required
def change_email_sent(request):
    """ "Check your email" after asking to change the address."""
    email = request.session.get("accounts_new_email", "")
    return render(request, "accounts/change_email_sent.html", {"email": email})


@resident_required
@sensitive_post_parameters("current_password", "password", "password_confirm")
def change_password(request):
    """Change password: the current one, then the new one twice."""
    _own_account_only(request)
    form = forms.ChangePasswordForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        services.change_password(request.user, form.cleaned_data["password"])
        update_session_auth_hash(request, request.user)  # stay signed in here; other sessions end
        messages.success(request, "Your password has been changed")
        return redirect("accounts:details")
    return render(request, "accounts/change_password.html", {"form": form})


# --- Download my data and delete my account ---------------------------------------------------------


@resident_required
def download_data(request):
    """Explains what the download holds, with the download button."""
    _own_account_only(request)
    return render(request, "accounts/download_data.html")


@resident_required
def download_data_file(request):
    """The JSON file of everything held about the resident (an attachment)."""
    _own_account_only(request)
    data = services.export_personal_data(request.acting)
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@resident_required
@sensitive_post_parameters("password")
def delete_account(request):
    """Confirm with the password, then erase the account and sign out."""
    _own_account_only(request)
    form = forms.ConfirmPasswordForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        notes = services.erase_account(request.acting)
        logout(request)
        # The new, anonymous session carries the notes to the confirmation page.
        request.session[ERASURE_NOTES_SESSION_KEY] = [[note.name, note.summary] for note in notes]
        return redirect("accounts:account-deleted")
    return render(request, "accounts/delete_account.html", {"form": form})


def account_deleted(request):
    """The confirmation panel, listing what each part of the service kept and why."""
    notes = request.session.get(ERASURE_NOTES_SESSION_KEY)
    if notes is None:
        return redirect("core:home")
    return render(request, "accounts/account_deleted.html", {"notes": notes})
