"""Security headers of EMES's pages: the Content-Security-Policy (django-csp), which the templates must
pass (no inline script, style or on*= handler), and HTTPS as seen through the TLS proxy only."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
# Rendered by WeasyPrint into PDF files (reports.pdf), never served to a browser as HTML.
PDF_TEMPLATES = ("reports/pdf/", "reports/letters/_letter_base.html", "reports/letters/memo.html",
                 "reports/letters/external.html", "literacy/summary/_pdf_groups.html")
NONCE = 'nonce="{{ request.csp_nonce }}"'


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_carry_a_policy_without_unsafe_inline(client, planner_a):
    for url in (reverse("login"), reverse("password_reset")):
        policy = _policy(client.get(url))
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"][0] == "'self'" and policy["style-src"][0] == "'self'"
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert not any("unsafe" in source or source.startswith("http") for sources in policy.values() for source in sources), policy
    client.force_login(planner_a)
    assert "'self'" in _policy(client.get(reverse("home")))["script-src"]


def _browser_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if not name.startswith(PDF_TEMPLATES):
            yield name, path.read_text(encoding="utf-8")


def test_page_templates_have_no_inline_script_style_or_handler():
    offences = []
    for name, text in _browser_templates():
        for match in re.finditer(r"<(script|style)\b([^>]*)>", text):
            tag, attrs = match.groups()
            if NONCE not in attrs and not (tag == "script" and "src=" in attrs):
                offences.append(f"{name}: inline <{tag}>")
        offences += [f"{name}: {m.group(0)}" for m in re.finditer(r"\s(on[a-z]+|style)\s*=", text)]
    assert offences == [], "the Content-Security-Policy blocks these:\n" + "\n".join(offences)


def test_a_clients_forwarded_proto_is_not_believed_without_the_proxy_setting(client):
    assert django_settings.SECURE_PROXY_SSL_HEADER is None  # the test run has no EMES_BEHIND_TLS_PROXY
    response = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200 and not response.wsgi_request.is_secure()


def test_behind_the_proxy_http_is_redirected_and_https_gets_hsts(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    plain = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301 and plain.url.startswith("https://")
    secure = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Content-Security-Policy" in secure.headers
