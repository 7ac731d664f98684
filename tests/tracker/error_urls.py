"""The real URLs plus one view that fails, for the 500 page tests."""

from django.urls import path

from tracker import urls


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *urls.urlpatterns]
handler500 = urls.handler500
