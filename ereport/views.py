import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ereport.health import check_all
from ereport.http import tel_number


@never_cache
@require_GET
def healthz(request):
    checks = check_all()
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


@require_GET
def livez(request):
    """Liveness: touches nothing, so it is also the floor for the page-speed benchmark."""
    return JsonResponse({"status": "ok"})


def _error_page(template: str, status: int):
    def view(request, exception=None):
        # After a language change, error pages lead home, not back to the broken URL.
        return render(request, template, {"language_next": "/"}, status=status)

    return view


bad_request = _error_page("errors/400.html", 400)
permission_denied = _error_page("errors/403.html", 403)
page_not_found = _error_page("errors/404.html", 404)


def server_error(request):
    """The 500 page, or a 503 "back soon" page when the database is unreachable.

    Rendered without the request's context processors: they may need the session, which
    needs the database that just failed.
    """
    error = sys.exc_info()[1]
    database_down = isinstance(error, OperationalError | InterfaceError)
    template = "errors/503.html" if database_down else "errors/500.html"
    # The settings' words only: the agency's policy may live in the database.
    context = {
        "AGENCY_NAME": settings.AGENCY_NAME,
        "PHONE_311": settings.PHONE_311,
        "PHONE_311_FULL": settings.PHONE_311_FULL,
        "PHONE_311_FULL_TEL": tel_number(settings.PHONE_311_FULL),
        "CITY_NAME": settings.CITY_NAME,
        "PHONE_EMERGENCY": settings.PHONE_EMERGENCY,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "CRISIS_LINE_NAME": settings.CRISIS_LINE_NAME,
        "CRISIS_LINE_NUMBER": settings.CRISIS_LINE_NUMBER,
        "language_next": "/",
    }
    response = HttpResponse(
        render_to_string(template, context), status=503 if database_down else 500
    )
    if database_down:
        response["Retry-After"] = "30"
    return response


@require_GET
def privacy(request):
    return render(
        request,
        "pages/privacy.html",
        {
            "RETENTION_REJECTED_DAYS": settings.RETENTION_REJECTED_DAYS,
            "DRAFT_RETENTION_DAYS": settings.DRAFT_RETENTION_DAYS,
        },
    )


@require_GET
def accessibility(request):
    return render(request, "pages/accessibility.html")


@never_cache
@require_GET
def switch_language(request, code: str):
    """A language link (USWDS's language selector is links): the language kept in its
    cookie, then back to the page the resident was reading.

    A link, not a form, so that no page needs a CSRF token for it. A link on another
    site can switch a resident's language, as a link to any site's Spanish pages can;
    the cookie is SameSite=Lax, so another site's images and scripts cannot. The menu
    names every language in itself, so a resident switched to one they do not read
    finds theirs at the top of the page.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
