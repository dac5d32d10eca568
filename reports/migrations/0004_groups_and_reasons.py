"""Staff groups with exact permissions, and the preset rejection reasons."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLERK_PERMISSIONS = [
    "view_report",
    "review_report",
    "export_report",
    "view_dashboard",
    "add_internalnote",
    "view_internalnote",
    "view_statuschange",
    "view_item",
    "view_vehicle",
    "view_personresponsible",
    "view_courtorder",
    "view_identitytheftaccount",
    "view_attachment",
    "view_supplement",
    "view_casecopy",
    "view_rejectionreason",
    "view_historicalreport",
]
SUPERVISOR_EXTRA = [
    "reopen_report",
    "reassign_report",
    "export_report_pii",
    "view_accesslog",
    "add_rejectionreason",
    "change_rejectionreason",
]
OFFICER_PERMISSIONS = ["download_casefile"]

GROUPS = {
    "Clerks": CLERK_PERMISSIONS,
    "Supervisors": CLERK_PERMISSIONS + SUPERVISOR_EXTRA,
    "Officers": OFFICER_PERMISSIONS,
}

REASONS = [
    (
        "not_police_matter",
        "Not a police matter",
        "What you described is not something the police can take a report for. It may be a "
        "civil matter: a lawyer or the courts' self-help center can advise you.",
    ),
    (
        "outside_city",
        "Happened outside the city",
        "It happened outside the city, so another police agency must take the report. Please "
        "contact the police or sheriff where it happened.",
    ),
    (
        "needs_officer",
        "Needs an officer — please call 911",
        "This needs an officer to respond in person. Please call 911 and ask for a squad.",
    ),
    (
        "duplicate",
        "Duplicate of another report",
        "You or someone else already reported this. We kept the other report.",
    ),
    (
        "insufficient_information",
        "Not enough information",
        "We did not have enough information to take the report, and we did not hear back. "
        "You are welcome to file again with more details.",
    ),
    (
        "not_online_crime",
        "Not a crime that can be reported online",
        "This kind of crime cannot be reported online. Please call 311 to report it.",
    ),
]


def forwards(apps, schema_editor):
    # Permissions are normally created after migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="reports", codename__in=codenames)
        )
    RejectionReason = apps.get_model("reports", "RejectionReason")
    for position, (code, label, text) in enumerate(REASONS):
        RejectionReason.objects.get_or_create(
            code=code, defaults={"label": label, "public_text": text, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
