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
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def workbook(chunks) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for chunk in chunks:
                fh.write(chunk)
            fh.write(b"</sheetData></worksheet>")
    return out.getvalue()


def one_row(cells: int):
    yield b'<row r="1">'
    block = b"<c><v>1</v></c>" * 100_000
    for _ in range(cells // 100_000):
        yield block
    yield b"</row>"


def many_rows(rows: int, width: int):
    row = b"<row>" + b"<c><v>1</v></c>" * width + b"</row>"
    block = row * 10_000
    for _ in range(rows // 10_000):
        yield block
    yield row * (rows % 10_000)


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
            "row": (Path(tmp) / "row.xlsx", lambda: workbook(one_row(12_000_000))),
            "rows": (Path(tmp) / "rows.xlsx", lambda: workbook(many_rows(1_048_576, 8))),
        }
        for case, (path, build) in files.items():
            path.write_bytes(build())
            print(f"{case}: {path.stat().st_size / 1024:.0f} KB -> {run(case, path, args.src.resolve(), args.cap_mb, args.timeout)}", flush=True)


if __name__ == "__main__":
    main()
