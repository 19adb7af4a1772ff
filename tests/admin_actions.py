"""Test helper for the admin's official bulk actions (issue 17): the first POST only asks; the confirming POST is the
confirmation page's own form, read back from the page (its hidden fields), so a test clicks what a user clicks."""
from __future__ import annotations

import html
import re

_FORM = re.compile(r'<div id="confirm-step">.*?<form method="post" action="([^"]*)">(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def confirmation_fields(page) -> tuple[str, list[tuple[str, str]]]:
    """The URL and the hidden fields (name, value; CSRF token left out) of the confirmation form of ``page``.

    Fails the test when ``page`` is not a confirmation page (``emes/admin_confirm.html``).
    """
    found = _FORM.search(page.content.decode())
    assert found, "not a confirmation page"
    fields = [(html.unescape(n), html.unescape(v)) for n, v in _HIDDEN.findall(found.group(2)) if n != "csrfmiddlewaretoken"]
    return html.unescape(found.group(1)), fields


def ask(client, url: str, action: str, ids):
    """The first POST of ``action`` on ``ids`` from the changelist at ``url`` (the "Go" button: ``index`` 0)."""
    return client.post(url, {"action": action, "_selected_action": list(ids), "index": "0"})


def run_action(client, url: str, action: str, ids, **extra):
    """Run ``action`` as a user does: "Go", then the confirmation page's button (with ``extra``, e.g. a comment,
    typed on that page). When "Go" gets no confirmation page (the action is not offered, nothing selected), its
    answer is followed and returned. Returns the followed answer of the confirming POST."""
    first = ask(client, url, action, ids)
    if first.status_code != 200 or 'id="confirm-step"' not in first.content.decode():
        return client.get(first.url) if first.status_code == 302 else first
    target, fields = confirmation_fields(first)
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for name, value in extra.items():
        data[name] = [value]
    return client.post(target, data, follow=True)


def assert_asks(page, url: str, action: str, ids, *texts: str) -> None:
    """``page`` is the admin confirmation of ``action`` on exactly ``ids``: the admin's look, Thai ``texts`` (what will
    happen, the count, the rows; HTML-escaped here), a confirming form re-posting the ids with ``post=yes`` to ``url``
    and a cancel link back to the changelist ``url``."""
    from django.utils.html import escape

    assert page.status_code == 200, page.status_code
    used = {t.name for t in page.templates}
    assert {"emes/admin_confirm.html", "admin/base_site.html"} <= used, used
    target, fields = confirmation_fields(page)
    assert target == url
    expected = [("_selected_action", str(i)) for i in ids] + [("action", action), ("index", "0"), ("post", "yes")]
    assert sorted(fields) == sorted(expected), fields
    content = page.content.decode()
    assert f'<a href="{escape(url)}" class="button cancel-link"' in content
    for text in texts:
        assert escape(text) in content, text
