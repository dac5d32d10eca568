"""The records-system API (/api/rms/v1/): list approved reports, fetch a report's PDF
copy, NIBRS XML and attachments, acknowledge an import. Each view parses its input,
calls one service and answers; every call, refused ones included, is audited."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ereport import ratelimit
from ereport.http import client_ip
from reports import audit
from reports.copies.casefiles import current_copy
from reports.models import AccessLog, ApiKey
from reports.nibrs.export import NibrsUnavailable, nibrs_document
from reports.rms import services
from reports.rms.auth import HasApiKey
from reports.rms.serializers import (
    ErrorSerializer,
    ImportedInSerializer,
    ImportedOutSerializer,
    ReportPageSerializer,
    ReportSerializer,
)
from reports.storage import private_file_response

_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="No key, an unknown key or a revoked key."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests for this key."),
}
_NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such approved report.")}


class AuditedMixin:
    """Writes one audit row per call: which key, what, and how it was answered."""

    audited_report = None

    def initial(self, request, *args, **kwargs):
        try:
            super().initial(request, *args, **kwargs)
        except (exceptions.AuthenticationFailed, exceptions.NotAuthenticated):
            # A refused key is counted per address: past the limit, 429 without a lookup.
            if not ratelimit.allow("rms_refused", client_ip(request) or "unknown"):
                raise exceptions.Throttled(
                    wait=60, detail="Too many requests without a valid key."
                ) from None
            raise

    def permission_denied(self, request, message=None, code=None):
        # DRF's own words ("credentials were not provided") do not say what to send.
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(HasApiKey.message)
        super().permission_denied(request, message=message, code=code)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        api_key = request.auth if isinstance(request.auth, ApiKey) else None
        audit.record(
            action=AccessLog.Action.API_CALL,
            username=f"rms:{api_key.name}" if api_key else "rms:(no valid key)",
            request=request,
            report=self.audited_report,
            detail=f"{request.method} {request.path} {response.status_code}",
        )
        response["Cache-Control"] = "no-store"
        return response


class RmsView(AuditedMixin, APIView):
    def approved_report(self, report_id):
        report = services.approved_report(report_id)
        if report is None:
            raise exceptions.NotFound("No approved report has this id.")
        self.audited_report = report
        return report


class ReportList(RmsView):
    @extend_schema(
        operation_id="reports_list",
        summary="Approved reports, oldest decision first",
        parameters=[
            OpenApiParameter("status", str, enum=["approved"], description="Only approved."),
            OpenApiParameter("after", str, description="The `next` cursor of the last page."),
            OpenApiParameter(
                "include_imported", bool, description="Also list reports already in the RMS."
            ),
        ],
        responses={200: ReportPageSerializer, 400: ErrorSerializer, **_ERRORS},
    )
    def get(self, request):
        if request.query_params.get("status", "approved") != "approved":
            raise exceptions.ParseError("Only status=approved can be listed.")
        after = None
        if cursor := request.query_params.get("after"):
            after = services.decode_cursor(cursor)
            if after is None:
                raise exceptions.ParseError("This cursor is not valid.")
        include = request.query_params.get("include_imported", "").lower() in ("1", "true")
        page = services.reports_page(after=after, include_imported=include)
        results = ReportSerializer(page.reports, many=True, context={"request": request}).data
        return Response({"results": results, "next": page.next_cursor})


class ReportPdf(RmsView):
    @extend_schema(
        operation_id="reports_pdf",
        summary="The report's current PDF case copy",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **_NOT_FOUND,
            **_ERRORS,
        },
    )
    def get(self, request, report_id):
        report = self.approved_report(report_id)
        copy = current_copy(report)
        if copy is None:
            raise exceptions.NotFound("The PDF copy is being made; ask again in a minute.")
        return private_file_response(
            copy.file.name, f"{report.tracking_number}.pdf", "application/pdf"
        )


class ReportNibrs(RmsView):
    @extend_schema(
        operation_id="reports_nibrs",
        summary="The report's NIBRS XML 4.2 document (Group A offenses)",
        responses={
            (200, "application/xml"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(
                ErrorSerializer, description="No such report, or no NIBRS document (why)."
            ),
            **_ERRORS,
        },
    )
    def get(self, request, report_id):
        report = self.approved_report(report_id)
        try:
            content = nibrs_document(report)
        except NibrsUnavailable as why:
            raise exceptions.NotFound(str(why)) from why
        response = HttpResponse(content, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{report.tracking_number}.xml"'
        return response


class ReportAttachment(RmsView):
    @extend_schema(
        operation_id="reports_attachment",
        summary="One of the report's attachments (check it against its sha256)",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            **_NOT_FOUND,
            **_ERRORS,
        },
    )
    def get(self, request, report_id, attachment_id):
        report = self.approved_report(report_id)
        attachment = report.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise exceptions.NotFound("The report has no such attachment.")
        return private_file_response(
            attachment.file.name, attachment.display_name, attachment.content_type
        )


class ReportImported(RmsView):
    @extend_schema(
        operation_id="reports_imported",
        summary="Mark the report as imported into the RMS (idempotent)",
        request=ImportedInSerializer,
        responses={
            200: ImportedOutSerializer,
            400: ErrorSerializer,
            409: OpenApiResponse(
                ErrorSerializer,
                description="Already imported under another number, or the number is taken.",
            ),
            **_NOT_FOUND,
            **_ERRORS,
        },
    )
    def post(self, request, report_id):
        report = self.approved_report(report_id)
        body = ImportedInSerializer(data=request.data)
        if not body.is_valid():
            raise exceptions.ParseError('Send {"record_number": "<the RMS\'s number>"}.')
        try:
            services.report_mark_imported(
                report=report,
                record_number=body.validated_data["record_number"],
                api_key=request.auth,
                request=request,
            )
        except services.ImportConflict as conflict:
            return Response({"detail": str(conflict)}, status=status.HTTP_409_CONFLICT)
        return Response(ImportedOutSerializer(report).data)


class Schema(AuditedMixin, SpectacularAPIView):
    """The OpenAPI 3 schema, for the key holders (the API's only users)."""
