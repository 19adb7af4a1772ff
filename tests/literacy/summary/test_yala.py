"""The summary arithmetic reproduces the real Yala e-read/e-write table exactly (issue 6).

Source: ``data/03_literacy/yala1_eread_ewrite_p1-3_by_affiliation.csv`` (see its SOURCES.md). Each row
is one affiliation and skill, grades ป.1-3 together: four counts, their percentages as published (two
decimals) and the total of students tested. The source has one quirk, kept as published: สพฐ. /
การอ่านออกเสียง levels add up to 83,092 while its total says 83,091 like the other skills. OBEC's
percentages are of the published total (the students assessed), and so are ours: every row, the
quirky one included, gives the published percentages when the denominator is the published total.
"""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from literacy.summary import ALL_GRADES, LevelCounts, percent, summarise_counts

CSV = Path(settings.BASE_DIR) / "data" / "03_literacy" / "yala1_eread_ewrite_p1-3_by_affiliation.csv"
LEVEL_COLUMNS = ["dee_mak", "dee", "pho_chai", "prap_prung"]
SKILL_BY_THAI = {"การอ่านออกเสียง": "reading_aloud", "การอ่านรู้เรื่อง": "reading_comprehension",
                 "การเขียนคำ": "writing_words", "การเขียนเรื่อง": "writing_composition"}


#: (affiliation, skill) -> {level column: (our share, published share)} — quirk 2 above.
PUBLISHED_INCONSISTENT = {("รวม", "การอ่านออกเสียง"): {"pho_chai": ("18.12", "18.11")}}


def _rows() -> list[dict[str, str]]:
    with CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_file_is_the_published_table():
    rows = _rows()
    assert len(rows) == 14
    assert {r["affiliation"] for r in rows} == {"สพฐ.", "สช.", "ตชด.", "รวม"}


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r['affiliation']}-{SKILL_BY_THAI[r['skill']]}")
def test_every_row_gives_the_published_percentages_and_total(row):
    counts = LevelCounts(*(int(row[c]) for c in LEVEL_COLUMNS), assessed=int(row["total"]))
    exceptions = PUBLISHED_INCONSISTENT.get((row["affiliation"], row["skill"]), {})
    for column, ours in zip(LEVEL_COLUMNS, counts.percents):
        if column in exceptions:
            assert (str(ours), row[f"{column}_pct"]) == exceptions[column]
        else:
            assert str(ours) == row[f"{column}_pct"], column
    assert counts.assessed == int(row["total"]) == int(row["students_tested"])
    if (row["affiliation"], row["skill"]) == ("สพฐ.", "การอ่านออกเสียง"):
        assert sum(counts.counts) == 83_092  # the source's quirk: one student more than the total
    else:
        assert sum(counts.counts) == int(row["total"])


def test_the_affiliations_add_up_to_the_published_totals():
    """Fed as three groups, the summary's total of all groups is the published รวม row, to the digit."""
    rows = _rows()
    parts = [r for r in rows if r["affiliation"] != "รวม"]
    grade_rows = [{"key": r["affiliation"], "grade": ALL_GRADES, "enrolled": int(r["total"]), "assessed": int(r["total"]),
                   "special_needs": 0, "absent": 0, "schools": int(r["schools"])}
                  for r in parts if r["skill"] == "การอ่านออกเสียง"]
    skill_rows = [{"key": r["affiliation"], "grade": ALL_GRADES, "skill": SKILL_BY_THAI[r["skill"]],
                   **dict(zip(["very_good", "good", "fair", "improve"], (int(r[c]) for c in LEVEL_COLUMNS)))} for r in parts]
    groups = summarise_counts(grade_rows, skill_rows, key="key")
    assert set(groups) == {"สพฐ.", "สช.", "ตชด."}
    assert sum(g.schools for g in groups.values()) == 1498
    for total_row in (r for r in rows if r["affiliation"] == "รวม"):
        skill = SKILL_BY_THAI[total_row["skill"]]
        total = LevelCounts()
        for g in groups.values():
            total.add(g.all_grades.skills[skill])
        assert total.assessed == int(total_row["total"]) == 135_043
        published = [int(total_row[c]) for c in LEVEL_COLUMNS]
        if skill == "reading_aloud":  # quirk 2: the total leaves out the extra student of สพฐ. (quirk 1)
            assert total.counts == [*published[:3], published[3] + 1]
            total = LevelCounts(*published, assessed=total.assessed)
        assert total.counts == published
        exceptions = PUBLISHED_INCONSISTENT.get(("รวม", total_row["skill"]), {})
        assert [str(p) for p in total.percents] == [
            exceptions.get(c, (None, total_row[f"{c}_pct"]))[0] or total_row[f"{c}_pct"] for c in LEVEL_COLUMNS]


def test_the_inconsistent_published_share_needs_another_denominator():
    """Quirk 2 is in the source: 18.11 with the row's other shares needs 135,049-135,052 assessed, not 135,043."""
    counts = [57880, 33932, 24464, 18767]
    published = [Decimal("42.86"), Decimal("25.13"), Decimal("18.11"), Decimal("13.90")]
    fits = [d for d in range(135_000, 135_100) if [percent(c, d) for c in counts] == published]
    assert fits == [135_049, 135_050, 135_051, 135_052]


def test_the_visible_part_of_the_cut_off_writing_totals():
    """The README's cut-off รวม / การเขียนคำ row: 29,122 (21.56) and 33,275 (24.64) of 135,043."""
    assert percent(17570 + 11332 + 220, 135_043) == Decimal("21.56")
    assert percent(20622 + 12449 + 204, 135_043) == Decimal("24.64")


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1, 8, "12.50"), (1, 3, "33.33"), (2, 3, "66.67"), (1, 200, "0.50"), (1, 400, "0.25"), (1, 800, "0.13"),
    (0, 5, "0.00"), (5, 5, "100.00"),
])
def test_percent_rounds_half_up_to_two_decimals(part, whole, expected):
    assert str(percent(part, whole)) == expected


def test_percent_of_nobody_is_none():
    assert percent(0, 0) is None
    assert LevelCounts().percents == [None] * 4
