"""The results of an evaluation: per item and section n, mean, S.D., distribution and the Thai band (docs/evaluation.md).

- Mean and S.D. of the 5-level ratings: S.D. is the SAMPLE standard deviation (divisor n − 1), the formula of
  บุญชม ศรีสะอาด, การวิจัยเบื้องต้น, used in Thai evaluation reports: respondents are a sample of the people the
  project served. With n = 1 there is no S.D. (shown as –).
- A section's (and the whole form's) mean and S.D. pool every rating answer of its items.
- Means are shown to two decimals, half up; the band is read from the rounded mean (4.505 → 4.51 → มากที่สุด).
- Open answers: identical texts (after cleaning) listed once with their count, most frequent first.

Queries: a fixed number (7) whatever the number of answers: the database aggregates (PostgreSQL ``stddev_samp``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Max, Min, StdDev

from emes.stats import percentage

from .models import DEFAULT_BANDS, RATING_LABELS, Answer, Evaluation, FormItem, FormSection
from .services import form_items

TWO = Decimal("0.01")
Kind = FormItem.Kind


def round2(value) -> Decimal | None:
    """``value`` to two decimals, half up (``None`` stays ``None``)."""
    return None if value is None else Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def band_of(mean: Decimal | None, bands: list) -> str:
    """The label of the band of ``mean`` (rounded to two decimals) in ``bands`` (``[[lowest, label], ...]``)."""
    if mean is None:
        return ""
    m = round2(mean)
    for low, label in bands:
        if m >= Decimal(str(low)):
            return label
    return bands[-1][1] if bands else ""


@dataclass
class Stat:
    """n, mean, S.D. (sample) and the band of a set of numbers."""

    n: int = 0
    mean: Decimal | None = None
    sd: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    band: str = ""

    @classmethod
    def from_row(cls, row: dict | None, bands: list) -> "Stat":
        if not row or not row.get("n"):
            return cls()
        mean = round2(row["mean"])
        sd = round2(row["sd"]) if row["n"] > 1 and row["sd"] is not None else None
        return cls(n=row["n"], mean=mean, sd=sd, minimum=row.get("mn"), maximum=row.get("mx"), band=band_of(mean, bands))


@dataclass
class ItemResult:
    item: FormItem
    number: int
    stat: Stat = field(default_factory=Stat)
    distribution: list[tuple[str, int, Decimal | None]] = field(default_factory=list)  # (label, count, % of n)
    texts: list[tuple[str, int]] = field(default_factory=list)  # open texts / choices: (text, count)

    @property
    def is_rating(self) -> bool:
        return self.item.kind == Kind.RATING


@dataclass
class SectionResult:
    section: FormSection
    items: list[ItemResult]
    stat: Stat = field(default_factory=Stat)

    @property
    def has_ratings(self) -> bool:
        return any(i.is_rating for i in self.items)


@dataclass
class EvaluationResults:
    evaluation: Evaluation
    responses: int
    sections: list[SectionResult]
    overall: Stat
    bands: list

    @property
    def rating_sections(self) -> list[SectionResult]:
        return [s for s in self.sections if s.has_ratings]


_AGG = {"n": Count("pk"), "mean": Avg("number"), "sd": StdDev("number", sample=True), "mn": Min("number"), "mx": Max("number")}


def evaluation_results(evaluation: Evaluation) -> EvaluationResults:
    """Every figure of ``evaluation``'s results page and report. 7 queries whatever the number of answers."""
    bands = evaluation.form.bands
    items = form_items(evaluation.form)
    answers = Answer.objects.filter(response__evaluation=evaluation)
    numbers = answers.filter(number__isnull=False)
    by_item = {r["item"]: r for r in numbers.values("item").order_by("item").annotate(**_AGG)}
    ratings = numbers.filter(item__kind=Kind.RATING)
    by_section = {r["item__section"]: r for r in ratings.values("item__section").order_by("item__section").annotate(**_AGG)}
    overall = Stat.from_row(ratings.aggregate(**_AGG), bands)
    counts: dict[int, dict] = {}
    for r in numbers.filter(item__kind__in=[Kind.RATING, Kind.YES_NO]).values("item", "number").order_by().annotate(c=Count("pk")):
        counts.setdefault(r["item"], {})[int(r["number"])] = r["c"]
    texts: dict[int, list] = {}
    for r in answers.filter(item__kind__in=[Kind.TEXT, Kind.CHOICE]).exclude(text="").values("item", "text").order_by().annotate(c=Count("pk")).order_by("item", "-c", "text"):
        texts.setdefault(r["item"], []).append((r["text"], r["c"]))
    responses = evaluation.responses.count()

    sections: dict[int, SectionResult] = {}
    for number, item in enumerate(items, start=1):
        result = ItemResult(item=item, number=number)
        row = by_item.get(item.pk)
        if item.kind in (Kind.RATING, Kind.NUMBER):
            result.stat = Stat.from_row(row, bands if item.kind == Kind.RATING else [])
        c = counts.get(item.pk, {})
        if item.kind == Kind.RATING:
            n = sum(c.values())
            result.distribution = [(f"{level} {RATING_LABELS[level]}", c.get(level, 0), percentage(c.get(level, 0), n)) for level in (5, 4, 3, 2, 1)]
        elif item.kind == Kind.YES_NO:
            n = sum(c.values())
            result.stat = Stat(n=n)
            result.distribution = [("ใช่", c.get(1, 0), percentage(c.get(1, 0), n)), ("ไม่ใช่", c.get(0, 0), percentage(c.get(0, 0), n))]
        elif item.kind == Kind.CHOICE:
            got = dict(texts.get(item.pk, []))
            n = sum(got.values())
            result.stat = Stat(n=n)
            result.distribution = [(choice, got.get(choice, 0), percentage(got.get(choice, 0), n)) for choice in item.choices]
        elif item.kind == Kind.TEXT:
            result.texts = texts.get(item.pk, [])
            result.stat = Stat(n=sum(c for _t, c in result.texts))
        section = sections.setdefault(item.section_id, SectionResult(section=item.section, items=[]))
        section.items.append(result)
    for sid, section in sections.items():
        section.stat = Stat.from_row(by_section.get(sid), bands)
    return EvaluationResults(evaluation=evaluation, responses=responses, sections=list(sections.values()), overall=overall, bands=bands)


def ratings_by_target(model, ids, bands: list | None = None) -> dict[int, Stat]:
    """``{target id: Stat}`` of every rating answer given in the evaluations of the ``model`` rows ``ids`` (all their
    evaluations pooled), read with the default bands unless ``bands``. One query (plus the content type, cached)."""
    ct = ContentType.objects.get_for_model(model)
    rows = (Answer.objects.filter(response__evaluation__target_type=ct, response__evaluation__target_id__in=list(ids),
                                  item__kind=Kind.RATING, number__isnull=False)
            .values("response__evaluation__target_id").order_by("response__evaluation__target_id").annotate(**_AGG))
    return {r["response__evaluation__target_id"]: Stat.from_row(r, bands or DEFAULT_BANDS) for r in rows}


def overall_by_evaluation(evaluations) -> dict[int, Stat]:
    """``{evaluation id: Stat}`` of the whole form (every rating answer pooled, as ``evaluation_results(ev).overall``)
    of each of ``evaluations`` (rows with their ``form`` loaded), each read with its own form's bands. One query,
    whatever the number of evaluations and answers; an evaluation without a rating answer is absent."""
    bands = {ev.pk: ev.form.bands for ev in evaluations}
    rows = (Answer.objects.filter(response__evaluation_id__in=list(bands), item__kind=Kind.RATING, number__isnull=False)
            .values("response__evaluation_id").order_by("response__evaluation_id").annotate(**_AGG))
    return {r["response__evaluation_id"]: Stat.from_row(r, bands[r["response__evaluation_id"]]) for r in rows}
