from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("<slug:report_type>/start/", views.start, name="start"),
]
