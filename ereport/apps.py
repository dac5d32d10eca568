from django.contrib.admin.apps import AdminConfig


class EReportAdminConfig(AdminConfig):
    default_site = "ereport.admin.EReportAdminSite"
