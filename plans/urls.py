"""URLs of the plans app: its pages, workbook, quarterly reports and follow-up views, in one namespace."""
from .direction.urls import urlpatterns as direction_urlpatterns
from .followup.urls import urlpatterns as followup_urlpatterns
from .monitoring.urls import urlpatterns as monitoring_urlpatterns
from .page_urls import urlpatterns as page_urlpatterns
from .workbook.urls import urlpatterns as workbook_urlpatterns

app_name = "plans"
urlpatterns = [*page_urlpatterns, *workbook_urlpatterns, *monitoring_urlpatterns, *followup_urlpatterns, *direction_urlpatterns]
