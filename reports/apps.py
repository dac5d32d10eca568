from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        # Audit receivers for sign-ins, lockouts, MFA and permission changes: Django's
        # documented place to connect signals is ready(), once every app is loaded.
        from reports import audit  # noqa: F401
