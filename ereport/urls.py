from django.contrib import admin
from django.urls import include, path

from ereport import views

urlpatterns = [
    path("", include("screening.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("staff/", include("ereport.staff")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
