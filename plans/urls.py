"""URLs of the plans app: its pages (``page_urls``) and its workbook (``workbook.urls``)."""
from .page_urls import urlpatterns as page_urlpatterns
from .workbook.urls import urlpatterns as workbook_urlpatterns

app_name = "plans"
urlpatterns = [*page_urlpatterns, *workbook_urlpatterns]
