"""Drafts are rewritten at every step a resident answers. PostgreSQL can do that in place
(a HOT update, no index touched) only when the row's page has room for the new version:
leave a third of each page free for it (PostgreSQL's fillfactor; the default fills pages
whole). SQLite has no such setting."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE reports_draft SET (fillfactor = 70)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE reports_draft RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("reports", "0023_reporter_email_optional")]
    operations = [migrations.RunPython(forwards, backwards)]
