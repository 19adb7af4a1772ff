"""Locust scenario of the literacy peak (issue 18): schools submitting their results while office staff watch the board.

Data: ``bench/literacy_peak_data.py load`` (all 29,579 schools, one account each, a round open in every office;
``--offices N`` for a scaled-down run). Server: gunicorn as deployed, DEBUG off, over plain HTTP on loopback, so the
session and CSRF cookies must not be Secure-only for this run::

    DEBUG=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false AXES_ENABLED=true \\
        gunicorn emes.wsgi:application --bind 127.0.0.1:8919 --workers 2 --max-requests 1000 --max-requests-jitter 100
    locust -f bench/locust_literacy.py --host http://127.0.0.1:8919 --headless -u 40 -r 10 -t 5m \\
        --csv bench/var/peak --only-summary
    .venv/bin/python bench/literacy_peak_data.py check

Two kinds of users (weights 9 : 1 by default; ``PEAK_READERS`` sets the office readers' share):

- ``SchoolClerk`` takes the next school not yet done from ``bench/var/peak_schools.csv`` and, in one session that lasts
  the whole submission (one login per school, never again): logs in, opens the home page, the round page and the form,
  posts the results (valid random figures for the grades the form offers) with the submit button, and opens the round
  page it is redirected to. Then it takes the next school, with a new session. No think time: the peak is schools
  arriving back to back. An accepted submission's code is appended to ``bench/var/peak_accepted.txt`` (the redirect to
  the round page after the POST); anything else is a failure in locust's table.
- ``OfficeReader`` logs in once as an office's plan officer and reads its round's board every 5-15 s.

Locust reports requests/s, p50/p95/p99 and failures per step (``--csv``); submissions/s is the ``POST form`` row's
requests/s. The password hasher is the production one (the password check is the main cost of a login).
"""
from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from locust import HttpUser, between, constant, events, task

VAR = Path(__file__).resolve().parent / "var"
PASSWORD = "peak-bench-2569-not-a-real-password"
SCHOOLS = list(csv.reader((VAR / "peak_schools.csv").open())) if (VAR / "peak_schools.csv").exists() else []
OFFICES = list(csv.reader((VAR / "peak_offices.csv").open())) if (VAR / "peak_offices.csv").exists() else []
_next_school = iter(SCHOOLS)
_accepted = (VAR / "peak_accepted.txt").open("a") if VAR.exists() else None
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
GRADE = re.compile(r'name="(p\d)-assessed"')
LEVELS = ("very_good", "good", "fair", "improve")
SKILLS = ("reading_aloud", "reading_comprehension", "writing_words", "writing_composition")


def login(user: HttpUser, username: str) -> bool:
    page = user.client.get("/accounts/login/", name="GET login")
    token = CSRF.search(page.text)
    with user.client.post("/accounts/login/", data={"username": username, "password": PASSWORD,
                                                   "csrfmiddlewaretoken": token.group(1) if token else ""},
                          name="POST login", allow_redirects=False, catch_response=True) as response:
        if response.status_code != 302:
            response.failure(f"login of {username} refused ({response.status_code})")
            return False
    return True


def results(form_html: str) -> dict[str, str]:
    """Valid figures for every grade the form offers: assessed + special + absent = enrolled; levels add up."""
    data = {"version": re.search(r'name="version" value="(\d+)"', form_html).group(1), "submit": "1"}
    for grade in GRADE.findall(form_html):
        assessed, special, absent = random.randint(5, 60), random.randint(0, 2), random.randint(0, 2)
        data.update({f"{grade}-enrolled": str(assessed + special + absent), f"{grade}-assessed": str(assessed),
                     f"{grade}-special_needs": str(special), f"{grade}-absent": str(absent),
                     f"{grade}-enrolled_reason": "จำนวนนักเรียน ณ วันประเมิน"})
        for skill in SKILLS:
            cuts = sorted(random.randint(0, assessed) for _ in range(3))
            for level, n in zip(LEVELS, (cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], assessed - cuts[2])):
                data[f"{grade}-{skill}-{level}"] = str(n)
    return data


class SchoolClerk(HttpUser):
    weight = 9
    wait_time = constant(0)

    @task
    def submit_one_school(self) -> None:
        school = next(_next_school, None)
        if school is None:
            self.stop()
            return
        username, code, round_pk = school
        self.client.cookies.clear()  # a new browser: one session for this school's whole submission
        if not login(self, username):
            return
        base = f"/s/{code}/literacy/{round_pk}/"
        self.client.get("/", name="GET home (school)")
        self.client.get(base, name="GET round page")
        form = self.client.get(base + "form/", name="GET form")
        data = results(form.text)
        token = CSRF.search(form.text)
        data["csrfmiddlewaretoken"] = token.group(1) if token else ""
        with self.client.post(base + "form/", data=data, name="POST form (submit)", allow_redirects=False, catch_response=True) as response:
            if response.status_code == 302 and response.headers.get("Location", "").rstrip("/").endswith(f"literacy/{round_pk}"):
                if _accepted:
                    _accepted.write(code + "\n")
                    _accepted.flush()
            else:
                response.failure(f"{code}: not accepted ({response.status_code})")
                return
        self.client.get(base, name="GET round page after submitting")


class OfficeReader(HttpUser):
    weight = 1
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.username, self.area, self.round_pk = random.choice(OFFICES)
        login(self, self.username)

    @task
    def read_board(self) -> None:
        self.client.get(f"/o/{self.area}/literacy/{self.round_pk}/", name="GET board (office)")


@events.quitting.add_listener
def _close(environment, **_kw) -> None:
    if _accepted:
        _accepted.close()
