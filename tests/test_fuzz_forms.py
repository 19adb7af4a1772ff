"""Fuzz every form of EMES with the obvious bad inputs (issue 13, "Done when"): none may give a 500, and a
refused submission changes no row.

How the forms are found: every page of the permission matrix (``tests/test_permission_matrix.py``, whose
world builders are reused) is requested by the roles allowed to see it; every ``<form method="post">`` of the
HTML is read (inputs, textareas, selects, named submit buttons) and posted back to its action as that role,
first with every field set to one bad value at a time, then field by field. The POST-only URLs of the matrix
are also posted directly with the usual field names. Every GET page is requested with bad query parameters
(``?q=%00``, ``?page=abc``, ...). File fields are left empty (hostile files are the uploads' own tests).

Each POST runs in a savepoint rolled back afterwards, so every input meets the same world. "Refused" means a
400 answer or an error message; then the row counts of every EMES table must be the same as before. The
total of inputs tried is printed at the end of the module (the closing note of issue 13 quotes it).
"""
from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.db import connection, transaction
from django.urls import reverse

from tests.test_permission_matrix import MATRIX, _private_storage, world, world_storage  # noqa: F401  (fixtures used by name)

pytestmark = pytest.mark.django_db

#: The values set in every field of a form at once: one of each kind of trouble.
ALL_BAD = ["a\x00b", "\x01\x02\x1b\x7f", "\u200b\u200c\u200d\u2060\ufeff", "\u202eabc\u202c", "ก" * 10_000, "๑๒๓", "9" * 40,
           "-999999999999", "1e309", "31/02/2569", "1/10/2026", "abc", "-1"]
#: The values tried in one field alone, by the field's kind (the all-fields pass tries every kind of trouble).
FIELD_BAD = {
    "text": ["\x01\x02\x1b\x7f", "\u200b\u200c\u200d\u2060\ufeff", "\u202eabc\u202c", "ก" * 10_000],
    "number": ["9" * 40, "-5", "๑๒๓", "1e309", "abc"],
    "date": ["31/02/2569", "1/10/2026", "๑/๑๐/๒๕๖๙", "abc"],
    "id": ["abc", "-1", "99999999999999999999999"],
    "choice": ["abc", "99999999999999999999999"],
    "check": ["abc"],
}
#: Bad query parameters for every GET page.
BAD_QUERIES = [
    {"q": "\x00"},
    {"page": "abc"},
    {"page": "-1", "q": "\u202e" + "ก" * 5000},
    {"page": "99999999999999999999999", "fy": "abc", "year": "abc", "month": "13", "quarter": "x", "division": "abc",
     "status": "\u200b", "round": "abc", "kind": "\x01", "cluster": "\u202e", "missing": "x", "reminder": "abc",
     "candidate": "abc", "date_from": "31/02/2569", "date_to": "1/10/2026", "stage": "x", "school": "abc"},
    {"fy": "-2569", "year": "99999999999999999999", "month": "-1", "quarter": "๑", "division": "-1", "reminder": "-1"},
]
#: Field names of the POST-only URLs, posted directly with bad values.
COMMON_FIELDS = ["action", "op", "comment", "reason", "question", "candidate", "reminder", "ids", "fy", "language", "next", "text",
                 "title", "code", "file", "to_round", "schools", "divisions", "fingerprint", "due_on"]
ROLE_ORDER = ["plan_officer", "project_owner", "school", "division_head", "supervisor", "director", "viewer"]
#: A form with more fields than this is fuzzed field by field on an even sample of them (the literacy
#: results form has ~100 count fields of one kind); the all-fields pass still sets every one of them.
MAX_FIELDS = 8

TRIED = {"posts": 0, "gets": 0, "forms": 0}


@dataclasses.dataclass
class Field:
    name: str
    kind: str  # text | number | date | id | choice | check | button
    value: str = ""
    options: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Form:
    action: str
    fields: list[Field]
    buttons: list[tuple[str, str]]


class _FormParser(HTMLParser):
    """The POST forms of a page: their action and fields (enough for a fuzzer, not a browser)."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(action=a.get("action") or self.page_url, fields=[], buttons=[])
            return
        form = self._form
        if form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind == "file":
                return
            elif kind in ("checkbox", "radio"):
                form.fields.append(Field(name, "check", a.get("value", "on") if "checked" in a else "", [a.get("value", "on")]))
            elif kind == "hidden":
                form.fields.append(Field(name, "id" if a.get("value", "").isdigit() else "text", a.get("value", "")))
            elif kind == "number" or a.get("inputmode") in ("decimal", "numeric"):
                form.fields.append(Field(name, "number", a.get("value", "")))
            elif kind in ("date", "datetime-local") or "date" in name or name.endswith(("_on", "_at")):
                form.fields.append(Field(name, "date", a.get("value", "")))
            else:
                form.fields.append(Field(name, "text", a.get("value", "")))
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = Field(name, "text", "")
            form.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = Field(name, "choice", "")
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a or (not self._select.value and value):
                self._select.value = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _bad_values(field: Field) -> list[str]:
    """The values tried in ``field`` alone (the other fields as the page gave them): those of its kind."""
    return FIELD_BAD[field.kind]


def _counts() -> list[int]:
    """The row count of every EMES table, in one query."""
    tables = [m._meta.db_table for label in ("emes", "plans", "literacy", "inspections", "evaluation", "reports")
              for m in apps.get_app_config(label).get_models() if not m._meta.proxy and m._meta.managed]
    sql = "SELECT ARRAY[" + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in sorted(set(tables))) + "]"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchone()[0])


def _refused(response) -> bool:
    if response.status_code == 400:
        return True
    stored = getattr(response.wsgi_request, "_messages", None)
    return any(m.level == message_levels.ERROR for m in getattr(stored, "_queued_messages", []))


_BEFORE: dict[str, list[int]] = {}


def _post(client, url: str, data: dict, label: str) -> None:
    """POST ``data`` in a savepoint rolled back afterwards; no 500, and nothing changed if refused.

    Every POST of a test starts from the same rows (the savepoints roll back), so they are counted once."""
    with transaction.atomic():
        before = _BEFORE.get("counts") or _BEFORE.setdefault("counts", _counts())
        response = client.post(url, data)  # an exception in the view fails the test (the test client re-raises)
        TRIED["posts"] += 1
        assert response.status_code < 500, label
        if _refused(response):
            assert _counts() == before, f"refused but rows changed: {label}"
        transaction.set_rollback(True)


def _roles_for(case) -> list[str]:
    allowed = [r for r in ROLE_ORDER if case.expect.get(r) in (200, 302, 400)]
    return allowed[:2]


def _fuzz_form(client, form: Form, label: str) -> None:
    TRIED["forms"] += 1
    base = {f.name: f.value for f in form.fields if f.kind != "check" or f.value}
    variants = [dict(base, **{n: v}) for n, v in form.buttons] or [base]
    for variant in variants:
        for bad in ALL_BAD:
            data = dict(variant)
            for f in form.fields:
                data[f.name] = bad
            _post(client, form.action, data, f"{label} all fields={bad[:20]!r} {variant.keys()}")
    fields = form.fields
    if len(fields) > MAX_FIELDS:
        step = len(fields) // MAX_FIELDS + 1
        fields = fields[::step]
    for f in fields:
        for bad in _bad_values(f):
            _post(client, form.action, dict(variants[0], **{f.name: bad}), f"{label} {f.name}={bad[:20]!r}")


GET_PAGES = sorted(n for n, c in MATRIX.items() if c.method == "get" and _roles_for(c))
POST_ONLY = sorted(n for n, c in MATRIX.items() if c.method == "post" and _roles_for(c))


@pytest.fixture(autouse=True)
def _fresh_counts():
    _BEFORE.clear()
    yield
    _BEFORE.clear()


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    line = (f"fuzz: {TRIED['posts']} bad POST submissions to {TRIED['forms']} forms and {TRIED['gets']} bad GET requests; "
            "a 500 fails its test")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n" + line)


@pytest.mark.parametrize("name", GET_PAGES)
def test_every_form_of_the_page_survives_bad_input(client, world, name):
    case = MATRIX[name]
    url = reverse(name, args=case.args(world))
    seen: set[tuple] = set()
    for role in _roles_for(case):
        client.force_login(world.users[role])
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _FormParser(url)
        parser.feed(response.content.decode())
        for form in parser.forms:
            key = (urlsplit(form.action).path, tuple(sorted(f.name for f in form.fields)))
            if key in seen or urlsplit(form.action).path.startswith(("/i18n/", "/accounts/logout")):
                continue
            seen.add(key)
            _fuzz_form(client, form, f"{role} {name} -> {form.action}")


@pytest.mark.parametrize("name", POST_ONLY)
def test_every_post_only_url_survives_bad_input(client, world, name):
    case = MATRIX[name]
    url = reverse(name, args=case.args(world))
    role = _roles_for(case)[0]
    client.force_login(world.users[role])
    base = case.data(world) if case.data else {}
    for bad in ALL_BAD:
        _post(client, url, {**base, **{k: bad for k in COMMON_FIELDS}}, f"{role} {name} all={bad[:20]!r}")
        _post(client, url, {**{k: bad for k in COMMON_FIELDS}, **base}, f"{role} {name} fields={bad[:20]!r}")


@pytest.mark.parametrize("name", GET_PAGES)
def test_every_page_survives_bad_query_parameters(client, world, name):
    case = MATRIX[name]
    url = reverse(name, args=case.args(world))
    for role in _roles_for(case)[:1]:
        client.force_login(world.users[role])
        for query in BAD_QUERIES:
            response = client.get(f"{url}?{urlencode(query)}")
            TRIED["gets"] += 1
            assert response.status_code < 500, f"{role} {name} {query}"
