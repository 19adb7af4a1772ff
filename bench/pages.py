"""Benchmark: page throughput under gunicorn, each page beside the bare session view in the same run (issue 18).

    createdb -h 127.0.0.1 -U postgres emes_bench_pages
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_bench_pages DEBUG=false SECRET_KEY=<32+ characters>
    .venv/bin/python bench/pages_data.py                  # once: the demo office and the 150-project office
    .venv/bin/python bench/pages.py                       # gunicorn -w 2, ab -c 20, 2 rounds
    .venv/bin/python bench/pages.py --conn-max-age 0      # the same with a new connection per request (before)
    .venv/bin/python bench/pages.py --only 9952 --requests 600 --rounds 3

Needs ApacheBench (``ab``, Debian package apache2-utils) and ``pip install -e ".[bench]"`` for the profiles. Starts gunicorn (``--workers 2`` by default, DEBUG off,
the database of ``DATABASE_URL``) with ``bench_settings`` (EMES plus ``/bench/bare/`` and ``/bench/hello/``), logs
each page's user in (a session row, as a browser would have), warms every URL, then per round and office runs ``ab``
on the bare view and on every page, with the same concurrency. Prints, per page, the median over the rounds of
requests/s and p99 (ms), the page's size, and the ratio to the bare view of the same round; the load average
(``os.getloadavg``) before and after. Goal of issue 18: every page at least half the bare view's requests/s and p99
under 250 ms at c=20. On a shared machine read the ratio, not the absolute figures.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emes.settings")


def sessions(usernames: set[str]) -> dict[str, str]:
    """The ``Cookie`` header of a logged-in browser per username: its session (``Client.force_login`` writes the
    session row) and its CSRF cookie, as a browser holds after its first page (a random secret of Django's format)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils.crypto import get_random_string

    out = {}
    for user in get_user_model().objects.filter(username__in=usernames):
        client = Client()
        client.force_login(user)
        out[user.username] = f"sessionid={client.cookies['sessionid'].value}; csrftoken={get_random_string(32)}"
    missing = usernames - set(out)
    if missing:
        raise SystemExit(f"no such users: {sorted(missing)} (run bench/pages_data.py first)")
    return out


def start_gunicorn(port: int, workers: int, conn_max_age: int, app_root: Path = ROOT, page_cache: bool = True,
                   cache_url: str = "redis://127.0.0.1:6379/13") -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_settings", "DEBUG": "false", "CONN_MAX_AGE": str(conn_max_age),
           "CACHE_URL": cache_url, "EMES_PAGE_CACHE": "true" if page_cache else "false",
           "PYTHONPATH": f"{app_root}{os.pathsep}{ROOT / 'bench'}", "LOG_LEVEL": "WARNING", "AXES_ENABLED": "false"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "emes.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                             "--timeout", "120", "--log-level", "warning"], cwd=app_root, env=env)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # ab does not follow redirects: neither may the warm-up's check
        return None


def fetch(url: str, cookie: str) -> tuple[int, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.build_opener(_NoRedirect).open(request, timeout=120) as response:
        return response.status, len(response.read())


def ab(url: str, cookie: str, requests: int, concurrency: int, seconds: int = 30) -> tuple[float, int, int]:
    """``(requests/s, p99 ms, failed)`` of one ``ab`` run: ``requests`` requests or ``seconds`` seconds, what ends first."""
    cmd = ["ab", "-q", "-t", str(seconds), "-n", str(requests), "-c", str(concurrency), "-s", "120", "-H", f"Cookie: {cookie}", url]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout

    def number(pattern: str, default: float) -> float:
        found = re.search(pattern, out, re.M)
        return float(found.group(1)) if found else default

    # No request finished within ``seconds`` (a page slower than that under this load): 0 req/s, p99 past the limit.
    rps = number(r"Requests per second:\s+([\d.]+)", 0.0)
    p99 = int(number(r"^\s+99%\s+(\d+)", number(r"^\s+100%\s+(\d+)", seconds * 1000)))
    failed = int(number(r"Failed requests:\s+(\d+)", 0)) + int(number(r"Non-2xx responses:\s+(\d+)", 0))
    return rps, p99, failed


def load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="per ab run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=30, help="at most this long per ab run")
    parser.add_argument("--conn-max-age", type=int, default=600)
    parser.add_argument("--no-page-cache", action="store_true", help="EMES_PAGE_CACHE=false (every page rendered each time)")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/13", help="the shared cache of the workers")
    parser.add_argument("--port", type=int, default=8918)
    parser.add_argument("--only", help="one office (5402 or 9952)")
    parser.add_argument("--app-root", type=Path, default=ROOT,
                        help="the checkout gunicorn serves (e.g. the main branch, for a before/after in one session)")
    args = parser.parse_args()
    if not shutil.which("ab"):
        raise SystemExit("ab not found: apt-get install apache2-utils")

    import django

    django.setup()
    from bench.pages_data import pages

    offices = pages()
    if args.only:
        offices = {args.only: offices[args.only]}
    cookies = sessions({user for rows in offices.values() for _l, user, _p in rows})
    base = f"http://127.0.0.1:{args.port}"
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} {os.cpu_count()} cores, {load()}; gunicorn -w {args.workers}, "
          f"CONN_MAX_AGE={args.conn_max_age}, page cache {'off' if args.no_page_cache else 'on'}, app {args.app_root}, ab -c {args.concurrency} -n {args.requests}, {args.rounds} rounds", flush=True)
    proc = start_gunicorn(args.port, args.workers, args.conn_max_age, args.app_root, not args.no_page_cache, args.cache_url)
    try:
        any_cookie = next(iter(cookies.values()))
        sizes = {}
        for rows in offices.values():  # warm every worker's templates and caches, and check each page answers 200
            for label, user, path in rows:
                for _ in range(args.workers * 2):
                    status, size = fetch(base + path, cookies[user])
                assert status == 200, (path, status)
                sizes[(user, path)] = size
        for _ in range(args.workers * 2):
            fetch(base + "/bench/bare/", any_cookie)
        hello = ab(base + "/bench/hello/", any_cookie, args.requests, args.concurrency, args.seconds)
        print(f"hello (no database): {hello[0]:.0f} req/s, p99 {hello[1]} ms", flush=True)
        results: dict[tuple[str, str], list[tuple[float, int, float]]] = {}
        for n in range(args.rounds):
            for area, rows in offices.items():
                bare = ab(base + "/bench/bare/", any_cookie, args.requests, args.concurrency, args.seconds)
                print(f"round {n + 1} {area} bare session view: {bare[0]:.1f} req/s p99 {bare[1]} ms ({load()})", flush=True)
                results.setdefault((area, "bare session view"), []).append((bare[0], bare[1], 1.0))
                for label, user, path in rows:
                    rps, p99, failed = ab(base + path, cookies[user], args.requests, args.concurrency, args.seconds)
                    if failed:
                        print(f"  {label}: {failed} failed or non-2xx responses", flush=True)
                    results.setdefault((area, label), []).append((rps, p99, bare[0] / rps if rps else float("inf")))
                    print(f"  {label}: {rps:.1f} req/s p99 {p99} ms ({bare[0] / rps if rps else float('inf'):.1f}x slower than bare)", flush=True)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    print(f"\nmedians over {args.rounds} rounds ({load()}); goal: ratio <= 2.0 and p99 < 250 ms")
    print("| office | page | size KB | req/s | p99 ms | bare ÷ page | goal |")
    print("|---|---|---|---|---|---|---|")
    for area, rows in offices.items():
        for label, user, path in [("bare session view", None, "/bench/bare/"), *rows]:
            runs = results[(area, label)]
            rps, p99, ratio = (statistics.median(r[i] for r in runs) for i in range(3))
            ok = "" if label.startswith("bare") else ("yes" if ratio <= 2.0 and p99 < 250 else "no")
            print(f"| {area} | {label} | {sizes.get((user, path), 0) / 1024:.0f} | {rps:.1f} | {p99:.0f} | {ratio:.1f}x | {ok} |")


if __name__ == "__main__":
    main()
