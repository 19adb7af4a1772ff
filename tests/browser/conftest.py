"""The browser walks run with the page cache on, as a deployment with Redis does (emes/pagecache.py): each walk
reads pages again after acting on them, so a page older than its data would show and fail the walk."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _page_cache_on(settings, _fresh_cache):  # after the root conftest turns it off
    settings.EMES_PAGE_CACHE = True
