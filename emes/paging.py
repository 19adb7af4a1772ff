"""Long lists shown a page at a time (issue 18): Django's Paginator with the page number in ``?page=``.

A page's HTML, and the time to render it, grow with its rows (the indicator list of a 150-project plan was 450 KB,
the literacy board of a 333-school office 221 KB; template rendering was most of their time), so lists that grow
with an office's size show :data:`PAGE_SIZE` rows at a time. Totals and counts stay computed over every row; the
filters stay in the querystring (the pager ``templates/emes/_pager.html`` builds its links with Django's
``{% querystring %}``, which keeps every other parameter).
"""
from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

#: Rows per page of a long list: a screenful or two; enough that most offices see one page.
PAGE_SIZE = 50


def paginate(request: HttpRequest, rows: Sequence, per_page: int = PAGE_SIZE) -> Page:
    """The page of ``rows`` asked in ``request.GET["page"]`` (1-based; a missing, non-numeric or too large number
    gives the first or the last page, never an error). ``rows``: a list or a QuerySet (then sliced in SQL)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
