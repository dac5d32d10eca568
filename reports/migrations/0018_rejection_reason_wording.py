"""The preset reason "Not enough information" told every resident "…and we did not hear
back", also when nobody had asked them anything. The new words are true either way.
Only the shipped wording is replaced: an agency that edited its own is left alone."""

from django.db import migrations

OLD = (
    "We did not have enough information to take the report, and we did not hear back. "
    "You are welcome to file again with more details."
)
NEW = (
    "We did not have enough information to take the report. You are welcome to file "
    "again with more details: what happened, when and where, and what was taken or damaged."
)


def forwards(apps, schema_editor):
    RejectionReason = apps.get_model("reports", "RejectionReason")
    RejectionReason.objects.filter(code="insufficient_information", public_text=OLD).update(
        public_text=NEW
    )


def backwards(apps, schema_editor):
    RejectionReason = apps.get_model("reports", "RejectionReason")
    RejectionReason.objects.filter(code="insufficient_information", public_text=NEW).update(
        public_text=OLD
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0017_name_search_in_queue_order")]

    operations = [migrations.RunPython(forwards, backwards)]
