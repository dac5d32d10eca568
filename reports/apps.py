from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        # Audit receivers for sign-ins, lockouts, MFA and permission changes.
        from reports import audit  # noqa: F401
