"""Profile the pages of issue 18 in one process, through Django's test client (no server, no load).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_bench_pages DEBUG=false SECRET_KEY=... \\
        .venv/bin/python bench/profile_pages.py [--only 9952] [--page "plan overview"] [--repeat 20] [--tree]

Data from ``bench/pages_data.py``. Per page: the warm time of one request (median of ``--repeat``), its CPU time
(``time.process_time``: what the page costs a core whatever else the machine is doing), its queries,
its size, and the share of the time spent rendering templates (pyinstrument, if installed: the frames under
``django/template``); ``--tree`` prints pyinstrument's call tree of the page. CPU time in one process, so it
is steadier than ``bench/pages.py`` on a busy machine, but it does not see connection set-up or concurrency.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emes.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only")
    parser.add_argument("--page")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--tree", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from bench.pages_data import pages

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    try:
        from pyinstrument import Profiler
    except ImportError:  # timing and queries only
        Profiler = None
    users = {u.username: u for u in get_user_model().objects.all()}
    print("| office | page | ms (median) | CPU ms (median) | queries | KB | templates % |")
    print("|---|---|---|---|---|---|---|")
    for area, rows in pages().items():
        if args.only and area != args.only:
            continue
        for label, username, path in rows:
            if args.page and args.page != label:
                continue
            client = Client()
            client.force_login(users[username])
            client.get(path)
            times, cpu = [], []
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(path)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            assert response.status_code == 200, (path, response.status_code)
            queries = []
            with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
                client.get(path)
            share = ""
            if Profiler is not None:
                profiler = Profiler(interval=0.0005)
                profiler.start()
                for _ in range(args.repeat):
                    client.get(path)
                profiler.stop()
                session = profiler.last_session
                root = session.root_frame()
                total = root.time if root else 0

                def template_time(frame) -> float:
                    if "django/template" in (frame.file_path or ""):
                        return frame.time
                    return sum(template_time(child) for child in frame.children)

                share = f"{100 * template_time(root) / total:.0f}" if total else ""
                if args.tree:
                    print(profiler.output_text(unicode=True, color=False, show_all=False))
            print(f"| {area} | {label} | {1000 * statistics.median(times):.0f} | {1000 * statistics.median(cpu):.0f} | {len(queries)} | "
                  f"{len(response.content) / 1024:.0f} | {share} |", flush=True)


if __name__ == "__main__":
    main()
