"""Pages every council site needs: home, accessibility statement, privacy notice, cookies, errors."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def home(request):
    return render(request, "core/pages/home.html")


def accessibility(request):
    return render(request, "core/pages/accessibility.html")


def privacy(request):
    return render(request, "core/pages/privacy.html")


def cookies(request):
    return render(request, "core/pages/cookies.html")


def _error_page(request, status: int, heading: str, paragraphs: list[str]):
    return render(
        request, "core/pages/error.html", {"heading": heading, "paragraphs": paragraphs}, status=status
    )


def bad_request(request, exception=None):
    return _error_page(
        request, 400, "Sorry, there is a problem with that request", ["Go back and try again."]
    )


def permission_denied(request, exception=None):
    return _error_page(
        request,
        403,
        "You do not have permission to see this page",
        ["If you think you should, ask your manager to give you the right role."],
    )


def page_not_found(request, exception=None):
    return _error_page(
        request,
        404,
        "Page not found",
        [
            "If you typed the web address, check it is correct.",
            "If you pasted the web address, check you copied the entire address.",
        ],
    )


def server_error(request):
    # Rendered without request context: whatever broke (the database, say) must not break this page too.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"council_name": settings.COUNCIL_NAME}))
