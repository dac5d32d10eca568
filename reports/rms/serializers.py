"""The JSON the records system reads and sends: a report with every answer and part,
and links to its PDF copy, its NIBRS XML and each attachment. The fields are the
OpenAPI schema's (drf-spectacular reads them)."""

from __future__ import annotations

import re

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.nibrs.export import why_no_document


class RecordNumberField(serializers.CharField):
    """Text only: DRF's CharField turns a JSON number into text ("inf" from 1e999, "12.0"
    from 12.0), which would then stand as the record number for good."""

    default_error_messages = {
        "not_text": 'Send the record number as text, like "2026-004512".',
        "shape": "A record number has letters, digits, spaces and . _ / - only.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        value = super().to_internal_value(data)
        if not _RECORD_NUMBER.fullmatch(value):
            self.fail("shape")
        return value


_RECORD_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]*")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words.")


class ItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    category = serializers.CharField()
    description = serializers.CharField()
    brand = serializers.CharField(allow_blank=True)
    model = serializers.CharField(allow_blank=True)
    serial_number = serializers.CharField(allow_blank=True)
    color = serializers.CharField(allow_blank=True)
    quantity = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)


class VehicleSerializer(serializers.Serializer):
    role = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    make = serializers.CharField(allow_blank=True)
    model = serializers.CharField(allow_blank=True)
    color = serializers.CharField(allow_blank=True)
    plate = serializers.CharField(allow_blank=True)
    plate_state = serializers.CharField(allow_blank=True)
    vin = serializers.CharField(allow_blank=True)


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    phones = serializers.CharField(allow_blank=True)
    online_accounts = serializers.CharField(allow_blank=True)
    vehicle_description = serializers.CharField(allow_blank=True)


class CourtOrderSerializer(serializers.Serializer):
    order_type = serializers.CharField()
    court_file_number = serializers.CharField()
    county = serializers.CharField()
    state = serializers.CharField(allow_blank=True)
    issued_on = serializers.CharField(allow_null=True, help_text="YYYY-MM-DD")
    expires_on = serializers.CharField(allow_null=True, help_text="YYYY-MM-DD")
    respondent_name = serializers.CharField(allow_blank=True)


class AccountSerializer(serializers.Serializer):
    institution = serializers.CharField()
    kind = serializers.CharField()
    last4 = serializers.CharField(allow_blank=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    opened_on = serializers.CharField(allow_null=True, help_text="YYYY-MM-DD")
    discovered_on = serializers.CharField(allow_null=True, help_text="YYYY-MM-DD")


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment) -> str:
        report = self.context["report_id"]
        return self.context["request"].build_absolute_uri(
            reverse("rms:report_attachment", args=[report, attachment["id"]])
        )


class ReporterSerializer(serializers.Serializer):
    first_name = serializers.CharField(source="reporter_first_name")
    last_name = serializers.CharField(source="reporter_last_name")
    date_of_birth = serializers.DateField(source="reporter_date_of_birth")
    phone = serializers.CharField(source="reporter_phone")
    email = serializers.CharField(
        source="reporter_email",
        help_text="Empty when the resident gave none (the agency's policy may allow it); "
        "the phone number is then the only way to reach them.",
    )
    street = serializers.CharField(source="reporter_street")
    unit = serializers.CharField(source="reporter_unit")
    city = serializers.CharField(source="reporter_city")
    state = serializers.CharField(source="reporter_state")
    zip = serializers.CharField(source="reporter_zip")
    preferred_language = serializers.CharField()
    reporting_for = serializers.CharField()
    organization_name = serializers.CharField()
    organization_role = serializers.CharField()
    other_person_name = serializers.CharField()
    other_person_contact = serializers.CharField()


class IncidentSerializer(serializers.Serializer):
    start = serializers.DateTimeField(source="occurred_start")
    end = serializers.DateTimeField(source="occurred_end", allow_null=True)
    location = serializers.CharField()
    place_kind = serializers.CharField()


class LinksSerializer(serializers.Serializer):
    pdf = serializers.URLField(help_text="The current PDF case copy (404 while it is made).")
    nibrs = serializers.URLField(
        allow_null=True, help_text="The NIBRS XML; null when NIBRS has no document for it."
    )


class ReportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    tracking_number = serializers.CharField()
    case_number = serializers.CharField()
    report_type = serializers.CharField()
    nibrs_code = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField()
    language = serializers.CharField()
    reporter = ReporterSerializer(source="*")
    incident = IncidentSerializer(source="*")
    narrative = serializers.CharField()
    answers = serializers.JSONField(source="details", help_text="The type's own answers.")
    total_value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    items = ItemSerializer(many=True, source="items_json")
    vehicles = VehicleSerializer(many=True, source="vehicles_json")
    people_responsible = PersonSerializer(many=True, source="people_json")
    court_orders = CourtOrderSerializer(many=True, source="court_orders_json")
    accounts = AccountSerializer(many=True, source="accounts_json")
    attachments = serializers.SerializerMethodField()
    rms_record_number = serializers.CharField(allow_null=True)
    rms_imported_at = serializers.DateTimeField(allow_null=True)
    links = serializers.SerializerMethodField()

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, report):
        context = {**self.context, "report_id": report.pk}
        return AttachmentSerializer(report.attachments_json, many=True, context=context).data

    @extend_schema_field(LinksSerializer)
    def get_links(self, report):
        absolute = self.context["request"].build_absolute_uri
        nibrs = None
        if not why_no_document(report):
            nibrs = absolute(reverse("rms:report_nibrs", args=[report.pk]))
        return {"pdf": absolute(reverse("rms:report_pdf", args=[report.pk])), "nibrs": nibrs}


class ReportPageSerializer(serializers.Serializer):
    results = ReportSerializer(many=True)
    next = serializers.CharField(
        allow_null=True, help_text="Pass as ?after= for the next page; null on the last page."
    )


class ImportedInSerializer(serializers.Serializer):
    record_number = RecordNumberField(max_length=50, help_text="The RMS's own record number.")


class ImportedOutSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    rms_record_number = serializers.CharField()
    rms_imported_at = serializers.DateTimeField()
