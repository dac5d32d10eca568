"""The admin site for staff: the clerks' dashboard is its front page."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _


class EReportAdminSite(admin.AdminSite):
    site_header = _("e-report: records")
    site_title = _("e-report records")
    index_title = _("Records")

    def has_permission(self, request):
        # Staff reach the admin only after the second factor (TOTP) was checked.
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        return redirect_to_login(request.get_full_path(), login_url=reverse("staff:login"))

    def get_urls(self):
        return [
            path("dashboard/", self.admin_view(self.dashboard), name="dashboard"),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        # Clerks and supervisors open the dashboard first; ?all shows the model list.
        if request.user.has_perm("reports.view_dashboard") and "all" not in request.GET:
            return redirect("admin:dashboard")
        return super().index(request, extra_context)

    def dashboard(self, request):
        from reports.admin import DashboardView  # the reports app owns the dashboard

        return DashboardView.render(request, self)
