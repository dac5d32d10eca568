"""The records-system API, version 1 (included by ereport.urls at api/rms/v1/)."""

from django.urls import path

from reports.rms import views

app_name = "rms"

urlpatterns = [
    path("reports/", views.ReportList.as_view(), name="report_list"),
    path("reports/<uuid:report_id>/copy.pdf", views.ReportPdf.as_view(), name="report_pdf"),
    path("reports/<uuid:report_id>/nibrs.xml", views.ReportNibrs.as_view(), name="report_nibrs"),
    path(
        "reports/<uuid:report_id>/attachments/<int:attachment_id>/",
        views.ReportAttachment.as_view(),
        name="report_attachment",
    ),
    path(
        "reports/<uuid:report_id>/imported/",
        views.ReportImported.as_view(),
        name="report_imported",
    ),
    path("schema/", views.Schema.as_view(), name="schema"),
]
