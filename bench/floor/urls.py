from django.http import HttpResponse
from django.urls import path


def floor(request):
    return HttpResponse("ok")


urlpatterns = [path("", floor)]
