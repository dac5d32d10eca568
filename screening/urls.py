from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path("", views.home, name="home"),
    path("screening/", views.start, name="start"),
    path("screening/result/", views.result, name="result"),
    path("screening/<slug:page>/", views.question_page, name="question"),
    path("agency-logo/<slug:token>/", views.agency_logo, name="agency_logo"),
]
