"""The admin site for staff: the clerks' dashboard is its front page."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _


class EReportAdminSite(admin.AdminSite):
    site_header = _("e-report: records")
    site_title = _("e-report records")
    index_title = _("Records")

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
