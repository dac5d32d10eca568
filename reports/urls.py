from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("report/confirmation/", views.confirmation, name="confirmation"),
    path("status/", views.status, name="status"),
    path("status/report/", views.status_detail, name="status_detail"),
    path("status/add/", views.supplement, name="supplement"),
    path("report/<slug:report_type>/start/", views.start, name="start"),
    path("report/<slug:report_type>/", views.wizard, name="wizard_start"),
    path("report/<slug:report_type>/<slug:step>/", views.wizard, name="wizard"),
]
