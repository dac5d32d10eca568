from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from ereport import views

urlpatterns = [
    # Browsers ask for /favicon.ico on their own, whatever the page's <link rel="icon">.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"))),
    path("", include("screening.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("api/rms/v1/", include("reports.rms.urls")),
    path("staff/", include("ereport.staff")),
    path("language/<str:code>/", views.switch_language, name="switch_language"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
