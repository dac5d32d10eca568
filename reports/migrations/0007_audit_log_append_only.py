"""The audit log is append-only: on PostgreSQL a trigger refuses UPDATE and DELETE,
whatever the application (or anyone with its database role) tries."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION reports_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_accesslog_append_only
    BEFORE UPDATE OR DELETE ON reports_accesslog
    FOR EACH ROW EXECUTE FUNCTION reports_accesslog_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS reports_accesslog_append_only ON reports_accesslog;
DROP FUNCTION IF EXISTS reports_accesslog_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_audit_log")]
    operations = [migrations.RunPython(forwards, backwards)]
