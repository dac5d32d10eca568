from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ereport.health import check_all


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
server_error = _error_page("errors/500.html", 500)


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
