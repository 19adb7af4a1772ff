"""Results against an independent computation (Python's ``statistics``), the bands, query counts, PDF and Excel."""
from __future__ import annotations

import io
import random
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from emes.thai import thai_digits
from evaluation import services
from evaluation.models import DEFAULT_BANDS, Answer, FormItem, Response
from evaluation.outputs import answers_workbook, report_pdf
from evaluation.results import band_of, evaluation_results

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def _answer_randomly(ev, n: int, seed: int = 16) -> dict[int, list[int]]:
    """``n`` public answers with random ratings; returns item pk → the ratings given (for the independent check)."""
    rng = random.Random(seed)
    given: dict[int, list[int]] = {}
    items = services.form_items(ev.form)
    for _ in range(n):
        data = full_answers(ev)
        for item in items:
            if item.kind == "rating":
                value = rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5, 5])
                data[f"item-{item.pk}"] = str(value)
                given.setdefault(item.pk, []).append(value)
        services.submit_answers(ev, data, items=items)
    return given


def _r2(x: float) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _band(mean: Decimal) -> str:
    # Independent reading of บุญชม ศรีสะอาด's bands, written out rather than taken from DEFAULT_BANDS.
    if mean >= Decimal("4.51"):
        return "มากที่สุด"
    if mean >= Decimal("3.51"):
        return "มาก"
    if mean >= Decimal("2.51"):
        return "ปานกลาง"
    if mean >= Decimal("1.51"):
        return "น้อย"
    return "น้อยที่สุด"


def test_means_sd_and_bands_match_an_independent_computation(open_evaluation):
    given = _answer_randomly(open_evaluation, 30)
    data = evaluation_results(open_evaluation)
    assert data.responses == 30
    checked = 0
    for section in data.sections:
        pooled = []
        for r in section.items:
            if r.item.kind != "rating":
                continue
            values = given[r.item.pk]
            pooled += values
            assert r.stat.n == len(values)
            assert r.stat.mean == _r2(statistics.mean(values))
            assert r.stat.sd == _r2(statistics.stdev(values))  # sample S.D. (n - 1)
            assert r.stat.band == _band(r.stat.mean)
            assert [c for _l, c, _p in r.distribution] == [values.count(level) for level in (5, 4, 3, 2, 1)]
            checked += 1
        if pooled:
            assert section.stat.mean == _r2(statistics.mean(pooled))
            assert section.stat.sd == _r2(statistics.stdev(pooled))
    everything = [v for vs in given.values() for v in vs]
    assert data.overall.mean == _r2(statistics.mean(everything))
    assert data.overall.sd == _r2(statistics.stdev(everything))
    assert checked == 10


@pytest.mark.parametrize("mean,label", [("4.51", "มากที่สุด"), ("4.505", "มากที่สุด"), ("4.50", "มาก"), ("3.51", "มาก"), ("3.50", "ปานกลาง"),
                                        ("2.51", "ปานกลาง"), ("2.50", "น้อย"), ("1.51", "น้อย"), ("1.50", "น้อยที่สุด"), ("1.00", "น้อยที่สุด")])
def test_band_limits(mean, label):
    assert band_of(Decimal(mean), DEFAULT_BANDS) == label


def test_open_answers_are_listed_once_with_a_count(open_evaluation):
    text = FormItem.objects.get(section__form=open_evaluation.form, kind="text")
    for value in ["ควรจัดอีก", "ควรจัดอีก", "  ควรจัดอีก ", "อาหารอร่อย"]:
        services.submit_answers(open_evaluation, full_answers(open_evaluation, **{f"item-{text.pk}": value}))
    data = evaluation_results(open_evaluation)
    row = next(r for s in data.sections for r in s.items if r.item.pk == text.pk)
    assert row.texts == [("ควรจัดอีก", 3), ("อาหารอร่อย", 1)]


def test_one_answer_has_no_sd(open_evaluation):
    services.submit_answers(open_evaluation, full_answers(open_evaluation, rating=4))
    data = evaluation_results(open_evaluation)
    assert data.overall.n == 10 and data.overall.sd == Decimal("0.00")
    item = data.sections[1].items[0]
    assert item.stat.n == 1 and item.stat.sd is None and item.stat.mean == Decimal("4.00") and item.stat.band == "มาก"


def _bulk(ev, n: int) -> None:
    items = services.form_items(ev.form)
    responses = Response.objects.bulk_create([Response(evaluation=ev, submitted_on=ev.opens_on) for _ in range(n)])
    Answer.objects.bulk_create([Answer(response=r, item=i, number=(k % 5) + 1 if i.kind == "rating" else None,
                                       text="ข้อความ %d" % (k % 7) if i.kind == "text" else (i.choices[0] if i.kind == "choice" else ""))
                                for k, r in enumerate(responses) for i in items])


def test_results_queries_do_not_grow_with_answers(open_evaluation, django_assert_max_num_queries):
    _bulk(open_evaluation, 5)
    with django_assert_max_num_queries(7):
        evaluation_results(open_evaluation)
    _bulk(open_evaluation, 200)
    with django_assert_max_num_queries(7):
        data = evaluation_results(open_evaluation)
    assert data.responses == 205


def test_the_report_pdf_shows_means_sd_and_bands(open_evaluation):
    given = _answer_randomly(open_evaluation, 30, seed=5)
    pdf = report_pdf(open_evaluation)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    everything = [v for vs in given.values() for v in vs]
    overall_mean, overall_sd = _r2(statistics.mean(everything)), _r2(statistics.stdev(everything))
    assert thai_digits(f"{overall_mean}") in text and thai_digits(f"{overall_sd}") in text
    for pk, values in given.items():
        mean, sd = _r2(statistics.mean(values)), _r2(statistics.stdev(values))
        assert thai_digits(f"{mean}") in text and thai_digits(f"{sd}") in text
    assert "ด้านวิทยากรและเจ้าหน้าที่" in text and "บุญชม" in text
    assert thai_digits("30") in text


def test_the_answers_workbook_has_a_row_per_response_and_no_person(open_evaluation, school_user_a):
    _answer_randomly(open_evaluation, 3)
    services.submit_answers(open_evaluation, full_answers(open_evaluation), user=school_user_a)
    ws = load_workbook(io.BytesIO(answers_workbook(open_evaluation))).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    assert rows[0][0] == "ลำดับ" and len(rows[0]) == 2 + FormItem.objects.filter(section__form=open_evaluation.form).count()
    assert not any("99010001" in str(c) for row in rows for c in row)


def test_the_workbook_queries_do_not_grow(open_evaluation, django_assert_max_num_queries):
    _bulk(open_evaluation, 50)
    with django_assert_max_num_queries(3):
        answers_workbook(open_evaluation)
