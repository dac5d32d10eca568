"""The site's report addresses: residents (filing), the public copy check (copies) and
the officers' portal (officers), the clerks' NIBRS download (rms). The clerks' pages are
in the admin (reports.review); the records-system API has its own (reports.rms.urls)."""

from django.urls import path

from reports.copies import views as copies
from reports.filing import views
from reports.officers import views as officer
from reports.rms import staff_views as rms_staff

app_name = "reports"

urlpatterns = [
    path("report/confirmation/", views.confirmation, name="confirmation"),
    path("report/saved/", views.draft_saved, name="draft_saved"),
    path("report/resume/", views.resume, name="resume"),
    path("report/resume/<str:token>/", views.resume_link, name="resume_link"),
    path("report/keepalive/", views.keepalive, name="keepalive"),
    path("report/confirmation/copy.pdf", views.confirmation_copy, name="confirmation_copy"),
    path("report/copy/<str:token>/", views.signed_copy, name="signed_copy"),
    path("verify/", copies.verify, name="verify"),
    path("officer/", officer.search, name="officer_search"),
    path("officer/reports/<uuid:report_id>/", officer.detail, name="officer_detail"),
    path("officer/reports/<uuid:report_id>/copy.pdf", officer.download_copy, name="officer_copy"),
    path(
        "officer/reports/<uuid:report_id>/attachments/<int:attachment_id>/",
        officer.download_attachment,
        name="officer_attachment",
    ),
    path("staff/reports/<uuid:report_id>/nibrs.xml", rms_staff.nibrs_download, name="nibrs_xml"),
    path("status/", views.status, name="status"),
    path("status/report/", views.status_detail, name="status_detail"),
    path("status/add/", views.supplement, name="supplement"),
    path("report/<slug:report_type>/start/", views.start, name="start"),
    path("report/<slug:report_type>/<uuid:draft_id>/", views.wizard, name="wizard_start"),
    path("report/<slug:report_type>/<uuid:draft_id>/<slug:step>/", views.wizard, name="wizard"),
    path("report/<slug:report_type>/", views.wizard_latest, name="wizard_latest"),
    path("report/<slug:report_type>/<slug:step>/", views.wizard_latest, name="wizard_latest_step"),
]
