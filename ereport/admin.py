"""The admin site for staff. Apps add their own pages to it with add_view (the reports
app adds the clerks' dashboard, its front page), so this module imports no app."""

from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _


class EReportAdminSite(admin.AdminSite):
    site_header = _("e-report: records")
    site_title = _("e-report records")
    index_title = _("Records")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._extra_views: list[tuple[str, object, str]] = []

    def add_view(self, route: str, view, name: str) -> None:
        """Serve `view(request, admin_site)` at admin/<route>, for verified staff only."""
        self._extra_views.append((route, view, name))

    def _bound(self, view):
        @wraps(view)  # keeps the view's own name and module (the URL-access tests read them)
        def bound(request, *args, **kwargs):
            return view(request, *args, admin_site=self, **kwargs)

        return bound

    def has_permission(self, request):
        # Staff reach the admin only after the second factor (TOTP) was checked.
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        return redirect_to_login(request.get_full_path(), login_url=reverse("staff:login"))

    def get_urls(self):
        return [
            *(
                path(route, self.admin_view(self._bound(view)), name=name)
                for route, view, name in self._extra_views
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        # Clerks and supervisors open the dashboard first; ?all shows the model list.
        if request.user.has_perm("reports.view_dashboard") and "all" not in request.GET:
            return redirect("admin:dashboard")
        return super().index(request, extra_context)
