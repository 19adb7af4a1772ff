"""URLs of the literacy app: the school side, the office side and the summaries, in one namespace."""
from .office_urls import urlpatterns as office_urlpatterns
from .school_urls import urlpatterns as school_urlpatterns
from .summary_urls import urlpatterns as summary_urlpatterns

app_name = "literacy"
urlpatterns = [*office_urlpatterns, *school_urlpatterns, *summary_urlpatterns]
