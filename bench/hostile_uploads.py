"""Benchmark: the two attack files of issue 13 against the upload readers, time and peak RSS.

1. "row": a .xlsx of one row of 12 million cells (about 180 MB of sheet XML, a few hundred KB packed), given
   to the literacy school-template reader (``literacy.school_workbook.read_template``), a school account's upload.
2. "rows": a .xlsx school list of 1,048,576 rows × 8 cells (about 130 MB of XML, about 400 KB packed), given
   to the registry reader (``emes.registry.parsing.read_table``).

Each case runs in a child process with a memory cap (``--cap-mb``, default 2,000 MB) and a time limit
(``--timeout``, default 120 s), so the "before" code cannot take the machine down; the child's peak RSS is
read with ``getrusage``. Needs no database. Run from a checkout (``--src`` another source tree, e.g. main's
exported with ``git archive main | tar -x -C /tmp/main_src``, to measure "before"):

    DEBUG=true SECRET_KEY=x .venv/bin/python bench/hostile_uploads.py [--src /tmp/main_src]

Figures go in bench/README.md.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

sys.path.insert(0, str(ROOT))
from tests.hostile_files import one_row_of, rows_of, xlsx  # noqa: E402  (the tests' own attack files)


CHILD = r'''
import os, sys, time, resource
sys.path.insert(0, os.environ["BENCH_SRC"])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emes.settings")
import django
django.setup()
from django.core.exceptions import ValidationError
data = open(sys.argv[2], "rb").read()
start = time.perf_counter()
outcome = "read"
try:
    if sys.argv[1] == "row":
        from emes.models import School
        from literacy.models import LiteracyRound
        from literacy.school_workbook import read_template
        read_template(data, LiteracyRound(pk=1), School(smis_code="99010001"))
    else:
        from emes.registry.parsing import read_table
        read_table(data, "schools.xlsx")
except MemoryError:
    outcome = "MemoryError"
except Exception as exc:
    messages = getattr(exc, "messages", None) or getattr(exc, "problems", None) or [str(exc)]
    outcome = "refused: " + str(messages[0])[:110]
print(f"{time.perf_counter() - start:.2f}\t{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}\t{outcome}")
'''


def run(case: str, path: Path, src: Path, cap_mb: int, timeout: int) -> str:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap_mb * 1024 * 1024, cap_mb * 1024 * 1024))

    env = {**os.environ, "BENCH_SRC": str(src), "LANGUAGE_CODE": "th"}
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, case, str(path)], env=env, capture_output=True, text=True,
                              timeout=timeout, preexec_fn=limit, cwd=src)
    except subprocess.TimeoutExpired:
        return f"stopped after {timeout} s (time limit)"
    if done.returncode != 0 or not done.stdout.strip():
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"died after {time.perf_counter() - start:.1f} s under the {cap_mb} MB cap: {tail[:100]}"
    seconds, rss, outcome = done.stdout.strip().splitlines()[-1].split("\t", 2)
    return f"{seconds} s, peak RSS {rss} MB, {outcome}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--src", type=Path, default=ROOT, help="source tree to measure (default: this checkout)")
    parser.add_argument("--cap-mb", type=int, default=2000)
    parser.add_argument("--timeout", type=int, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "row": (Path(tmp) / "row.xlsx", lambda: xlsx(one_row_of(12_000_000), compresslevel=9)),
            "rows": (Path(tmp) / "rows.xlsx", lambda: xlsx(rows_of(1_048_576, 8), compresslevel=9)),
        }
        for case, (path, build) in files.items():
            path.write_bytes(build())
            print(f"{case}: {path.stat().st_size / 1024:.0f} KB -> {run(case, path, args.src.resolve(), args.cap_mb, args.timeout)}", flush=True)


if __name__ == "__main__":
    main()
