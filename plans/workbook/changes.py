"""Comparing a read workbook with an office's plan: what would be created, changed and removed.

:func:`plan_changes` resolves the workbook's codes against the database (divisions of the office,
strategies of the fiscal year, staff usernames), matches its records with the plan and returns a
:class:`PlanChanges`: the preview lines shown to the plan officer, a fingerprint of the change set,
and the write plan :func:`write_changes` carries out. Nothing is written by :func:`plan_changes`.

Matching (issue 4): projects by code within (office, fiscal year); indicators by (project, indicator
code, or name when the row has no code or no indicator has that code); strategy indicators likewise by
(office strategy, code or name); activities by (project, number); budget lines by (project, source).

The workbook is the whole plan: what it does not list is removed. A project with quarterly reports,
or an indicator with reported results, is never removed: the import is refused and names them, since
deleting them would delete the reports (rule: reports are records of what was done, docs/workflows.md).
Reads: 11 queries whatever the number of projects.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy

from emes.access import STAFF_ROLES
from emes.models import Division, Office
from emes.thai import baht, be_date
from emes.tabular import FieldChange
from plans.models import Activity, BudgetLine, Indicator, IndicatorResult, Project, QuarterlyReport, Strategy

from . import layout
from .reader import ParsedSheet, ParsedWorkbook, PlanWorkbookError, Problem, Row, long_text, one_line

KINDS = [
    ("projects", gettext_lazy("Projects")),
    ("indicators", gettext_lazy("Indicators")),
    ("activities", gettext_lazy("Activities")),
    ("budget_lines", gettext_lazy("Budget lines")),
]
PROJECT_FIELDS = [
    "name", "strategy", "strategies", "division", "owner", "responsible_people", "budget", "start_date", "end_date",
    "rationale", "objectives", "targets_quantity", "targets_quality",
]
LONG_TEXT = {"rationale", "objectives", "targets_quantity", "targets_quality"}
INDICATOR_FIELDS = ["code", "name", "unit", "baseline", "target", "direction", "is_percentage", "frequency", "responsible"]
INDICATOR_DEFAULTS = {
    "code": "", "baseline": None, "direction": Indicator.Direction.AT_LEAST, "is_percentage": False,
    "frequency": Indicator.Frequency.QUARTERLY, "responsible": "",
}
ACTIVITY_FIELDS = ["name", "months", "budget", "responsible"]
BUDGET_FIELDS = ["amount", "q1", "q2", "q3", "q4"]
ZERO = Decimal("0")


# --------------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------------
@dataclass
class Line:
    """A record in the preview: ``key`` (e.g. ``69-01-001`` or ``69-01-001 · 2``), its name, its row
    in the workbook (``None`` when removed), the field changes (values set when added) and a note."""

    key: str
    name: str
    row: int | None = None
    changes: list[FieldChange] = field(default_factory=list)
    note: str = ""


@dataclass
class Section:
    kind: str
    label: str
    added: list[Line]
    changed: list[Line]
    removed: list[Line]
    unchanged: int


@dataclass
class PlanChanges:
    """What a workbook would do to an office's plan for a fiscal year (BE), and how to do it.

    ``added`` / ``changed`` / ``removed`` map a kind (``projects``, ``indicators``, ``activities``,
    ``budget_lines``) to preview lines; ``unchanged`` to a count. ``fingerprint`` identifies the exact
    change set (old and new values): applying refuses when the plan moved on since the preview.
    """

    office: Office
    fiscal_year: int
    examples: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    added: dict[str, list[Line]] = field(default_factory=lambda: defaultdict(list))
    changed: dict[str, list[Line]] = field(default_factory=lambda: defaultdict(list))
    removed: dict[str, list[Line]] = field(default_factory=lambda: defaultdict(list))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fingerprint: str = ""
    # The write plan (used by write_changes only).
    project_creates: list[tuple[str, dict[str, Any], set[int] | None]] = field(default_factory=list, repr=False)
    project_updates: list[tuple[Project, dict[str, Any], set[int] | None]] = field(default_factory=list, repr=False)
    project_deletes: list[int] = field(default_factory=list, repr=False)
    creates: dict[str, list[tuple[str | None, dict[str, Any]]]] = field(default_factory=lambda: defaultdict(list), repr=False)
    updates: dict[str, list[tuple[Any, dict[str, Any]]]] = field(default_factory=lambda: defaultdict(list), repr=False)
    deletes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list), repr=False)

    @property
    def has_changes(self) -> bool:
        return any(self.added.values()) or any(self.changed.values()) or any(self.removed.values())

    @property
    def sections(self) -> list[Section]:
        return [
            Section(kind, str(label), self.added.get(kind, []), self.changed.get(kind, []), self.removed.get(kind, []), self.unchanged.get(kind, 0))
            for kind, label in KINDS
        ]

    def summary(self) -> dict[str, Any]:
        """Counts for ``PlanImport.summary``: ``<kind>_added|_changed|_removed|_unchanged`` for each kind,
        ``rows`` (records read per sheet), ``examples`` (example rows skipped), ``fingerprint``."""
        out: dict[str, Any] = {}
        for kind, _label in KINDS:
            out[f"{kind}_added"] = len(self.added.get(kind, []))
            out[f"{kind}_changed"] = len(self.changed.get(kind, []))
            out[f"{kind}_removed"] = len(self.removed.get(kind, []))
            out[f"{kind}_unchanged"] = self.unchanged.get(kind, 0)
        out["changes"] = sum(out[f"{k}_{a}"] for k, _l in KINDS for a in ("added", "changed", "removed"))
        out.update(rows=self.rows, examples=self.examples, fingerprint=self.fingerprint, fiscal_year=self.fiscal_year)
        return out


# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------
def strategy_token(strategy: Strategy) -> str:
    """How a strategy is named in the workbook: its level's prefix and its code (``กลยุทธ์ที่ 1``)."""
    prefix = layout.label_of(layout.STRATEGY_PREFIXES, strategy.level) or strategy.get_level_display()
    return f"{prefix} {strategy.code}"


def division_token(division: Division) -> str:
    """How a division is named in the workbook: its code and short name (``01 กลุ่มอำนวยการ``)."""
    return f"{division.code} {division.short_name or division.name}".strip()


class Strategies:
    """The strategies of a fiscal year an office's plan may name: its own and the shared ones."""

    def __init__(self, strategies: list[Strategy]):
        self.all = strategies
        self.by_level: dict[tuple[str, str], Strategy] = {}
        self.by_code: dict[str, list[Strategy]] = defaultdict(list)
        for s in strategies:
            self.by_level[(s.level, s.code.casefold())] = s
            self.by_code[s.code.casefold()].append(s)
        prefixes = []
        for word in layout.STRATEGY_PREFIXES:
            prefixes += [(p, word.value) for p in layout.spellings(word.label, *word.aliases)]
        self.prefixes = sorted(prefixes, key=lambda p: -len(p[0]))

    def resolve(self, token: str) -> Strategy | str:
        """The strategy named ``token``, or the Thai reason it cannot be found."""
        text = layout.normalise(token)
        examples = self.all
        for prefix, level in self.prefixes:
            if text.startswith(prefix) and text != prefix:
                code = text[len(prefix):].strip()
                found = self.by_level.get((level, code))
                if found is not None:
                    return found
                examples = [s for s in self.all if s.level == level] or self.all  # the codes of the level the row meant
                break
        candidates = self.by_code.get(text, [])
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            return _('the code "%(code)s" is used at several levels; write it as in the drop-down: %(choices)s.') % {
                "code": token, "choices": ", ".join(strategy_token(s) for s in candidates)}
        return _('there is no strategy "%(code)s" in this fiscal year; use a code of the drop-down (e.g. %(example)s).') % {
            "code": token, "example": ", ".join(strategy_token(s) for s in examples[:6]) or "-"}


LEVEL_ORDER = {level: n for n, level in enumerate(w.value for w in layout.STRATEGY_PREFIXES)}  # national, ministry, OBEC, office


def strategy_order(strategy: Strategy) -> tuple:
    """National strategies, then OBEC policies, then office strategies; codes in natural order (2 before 10)."""
    return (LEVEL_ORDER.get(strategy.level, 9), _natural(strategy.code))


def fiscal_year_strategies(office: Office, fiscal_year: int) -> list[Strategy]:
    """The office's strategies and the shared (national, OBEC) ones of ``fiscal_year``, in level order."""
    return sorted(Strategy.objects.filter(Q(office=office) | Q(office__isnull=True), fiscal_year=fiscal_year), key=strategy_order)


def _natural(code: str) -> tuple:
    """Sort key putting ``2`` before ``10``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", code) if p)


def office_staff(office: Office):
    """Users holding a staff role in ``office`` (possible project owners)."""
    return get_user_model().objects.filter(memberships__office=office, memberships__role__in=list(STAFF_ROLES)).distinct()


# --------------------------------------------------------------------------------------------
# Display
# --------------------------------------------------------------------------------------------
def _show(name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name in ("budget", "amount", "q1", "q2", "q3", "q4"):
        return baht(value)
    if name in ("baseline", "target"):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, Decimal) else str(value)
    if name in ("start_date", "end_date"):
        return be_date(value)
    if name == "strategy":
        return strategy_token(value)
    if name == "strategies":
        return ", ".join(strategy_token(s) for s in sorted(value, key=strategy_order))
    if name == "division":
        return division_token(value)
    if name == "owner":
        return value.username
    if name == "months":
        return ", ".join(str(m.label) for m in layout.MONTHS if m.value in value)
    if name == "direction":
        return layout.label_of(layout.DIRECTIONS, value)
    if name == "frequency":
        return layout.label_of(layout.FREQUENCIES, value)
    if name == "is_percentage":
        return layout.label_of(layout.YES_NO, bool(value))
    if name == "source":
        return layout.label_of(layout.SOURCES, value)
    return str(value)


def _label(sheet: layout.Sheet, key: str) -> str:
    if key == "months":
        return _("Planned months")
    return str(sheet.column(key).header) if key in {c.key for c in sheet.columns} else key


def _same(name: str, old: Any, new: Any) -> bool:
    """Whether a stored value equals the workbook's, compared as the workbook would write and read it."""
    if name == "months":
        return set(old or []) == set(new or [])
    if name == "strategies":
        return {s.pk for s in old} == {s.pk for s in new}
    if name in ("strategy", "division", "owner"):
        return (old.pk if old else None) == (new.pk if new else None)
    if isinstance(new, str) or isinstance(old, str):
        norm = long_text if name in LONG_TEXT else one_line
        return norm(old) == norm(new)
    return old == new


def _diff(obj: Any, wanted: dict[str, Any], fields: list[str], sheet: layout.Sheet, current: dict[str, Any] | None = None) -> list[FieldChange]:
    out = []
    for name in fields:
        if name not in wanted:
            continue
        old = current[name] if current and name in current else getattr(obj, name)
        if not _same(name, old, wanted[name]):
            out.append(FieldChange(name, _label(sheet, name), _show(name, old), _show(name, wanted[name])))
    return out


def _added(wanted: dict[str, Any], fields: list[str], sheet: layout.Sheet) -> list[FieldChange]:
    return [FieldChange(n, _label(sheet, n), "—", _show(n, wanted[n])) for n in fields if n in wanted and _show(n, wanted[n]) != "—"]


# --------------------------------------------------------------------------------------------
# The comparison
# --------------------------------------------------------------------------------------------
def plan_changes(parsed: ParsedWorkbook, office: Office, fiscal_year: int, *, lock: bool = False) -> PlanChanges:
    """Compare ``parsed`` with the plan of ``office`` for ``fiscal_year`` (BE): a :class:`PlanChanges`.

    With ``lock`` the plan's projects are read ``select_for_update`` (inside the apply transaction).
    Raises :class:`PlanWorkbookError` with every problem of the file and of its codes (unknown
    division, strategy or user; removals refused) at once. Nothing is written.
    """
    problems: list[Problem] = list(parsed.problems)
    changes = PlanChanges(office=office, fiscal_year=fiscal_year, examples=parsed.examples)
    changes.rows = {key: len(sheet.rows) for key, sheet in parsed.sheets.items()}
    projects_sheet, indicators_sheet = parsed.sheets["projects"], parsed.sheets["indicators"]
    activities_sheet, budget_sheet = parsed.sheets["activities"], parsed.sheets["budget"]

    # --- what the database holds (11 queries) -------------------------------------------------
    qs = (
        Project.objects.filter(office=office, fiscal_year=fiscal_year)
        .select_related("strategy", "division", "owner")
        .prefetch_related("strategies", "budget_lines", "activities", "indicators")
        .order_by("code")
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    existing = {p.code: p for p in qs}
    strategies = Strategies(fiscal_year_strategies(office, fiscal_year))
    divisions = {d.code: d for d in Division.objects.filter(office=office)}
    usernames = {r.get("owner") for r in parsed.projects if r.get("owner")}
    users = {u.username: u for u in office_staff(office).filter(username__in=usernames)} if usernames else {}
    reported = set(QuarterlyReport.objects.filter(project__office=office, project__fiscal_year=fiscal_year).values_list("project_id", flat=True).distinct())
    with_results = set(
        IndicatorResult.objects.filter(Q(indicator__project__office=office, indicator__project__fiscal_year=fiscal_year)
                                       | Q(indicator__strategy__office=office, indicator__strategy__fiscal_year=fiscal_year))
        .values_list("indicator_id", flat=True).distinct()
    )
    strategy_indicators = list(
        Indicator.objects.filter(strategy__office=office, strategy__fiscal_year=fiscal_year).select_related("strategy").order_by("id")
    )

    # --- projects ---------------------------------------------------------------------------
    wanted_projects: dict[str, dict[str, Any]] = {}
    for row in parsed.projects:
        code = row.get("code")
        if not code or code in wanted_projects:
            continue
        current = existing.get(code)
        wanted = _project_values(row, projects_sheet, strategies, divisions, users, current, problems, budget_sheet=budget_sheet.title)
        wanted_projects[code] = wanted
        strategy_ids = {s.pk for s in wanted.pop("strategies")} if "strategies" in wanted else None
        if current is None:
            for name, value in (("responsible_people", ""), ("rationale", ""), ("objectives", ""), ("targets_quantity", ""), ("targets_quality", "")):
                wanted.setdefault(name, value)
            line = Line(code, wanted.get("name", ""), row.number, _added({**wanted, "strategies": _objs(strategies, strategy_ids)}, PROJECT_FIELDS, layout.PROJECTS))
            changes.added["projects"].append(line)
            changes.project_creates.append((code, wanted, strategy_ids))
            continue
        diff = _diff(current, {**wanted, **({"strategies": _objs(strategies, strategy_ids)} if strategy_ids is not None else {})},
                     PROJECT_FIELDS, layout.PROJECTS, {"strategies": list(current.strategies.all())})
        if diff:
            changes.changed["projects"].append(Line(code, current.name, row.number, diff))
            dirty = {c.field for c in diff}
            changes.project_updates.append((current, {k: v for k, v in wanted.items() if k in dirty}, strategy_ids if "strategies" in dirty else None))
        else:
            changes.unchanged["projects"] += 1

    for code, project in existing.items():
        if code in wanted_projects:
            continue
        blocked = project.pk in reported or any(i.pk in with_results for i in project.indicators.all())
        if blocked:
            problems.append(Problem(
                _("the project %(code)s %(name)s is not in the workbook but has quarterly reports; it cannot be removed. Add it back to this sheet.")
                % {"code": code, "name": project.name}, sheet=projects_sheet.title, sheet_order=1,
            ))
            continue
        note = _("with %(indicators)s indicators, %(activities)s activities and %(lines)s budget lines") % {
            "indicators": len(project.indicators.all()), "activities": len(project.activities.all()), "lines": len(project.budget_lines.all())}
        changes.removed["projects"].append(Line(code, project.name, None, note=note))
        changes.project_deletes.append(project.pk)

    # --- children of the projects kept or created --------------------------------------------
    rows_by_project: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for kind, sheet in (("indicators", indicators_sheet), ("activities", activities_sheet), ("budget_lines", budget_sheet)):
        for row in sheet.rows:
            if row.get("project") in wanted_projects:
                rows_by_project[row.get("project")][kind].append(row)

    for code in wanted_projects:
        current = existing.get(code)
        rows = rows_by_project[code]
        _indicators(changes, code, rows["indicators"], list(current.indicators.all()) if current else [], indicators_sheet, with_results, problems, owner_label=code)
        _activities(changes, code, rows["activities"], list(current.activities.all()) if current else [], activities_sheet)
        _budget_lines(changes, code, rows["budget_lines"], list(current.budget_lines.all()) if current else [], budget_sheet)

    # --- indicators of office strategies -------------------------------------------------------
    by_strategy: dict[int, list[Row]] = defaultdict(list)
    strategy_of: dict[int, Strategy] = {}
    for row in indicators_sheet.rows:
        token = row.get("strategy")
        if not token or row.get("project"):
            continue
        found = strategies.resolve(token)
        if isinstance(found, str):
            problems.append(indicators_sheet.problem(found, row.number, "strategy"))
            continue
        if found.office_id != office.pk:
            problems.append(indicators_sheet.problem(
                _("%(code)s is a shared strategy or policy; only the office's own strategies (%(prefix)s …) take indicators here.")
                % {"code": token, "prefix": layout.label_of(layout.STRATEGY_PREFIXES, Strategy.Level.OFFICE)}, row.number, "strategy",
            ))
            continue
        by_strategy[found.pk].append(row)
        strategy_of[found.pk] = found
    current_by_strategy: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in strategy_indicators:
        current_by_strategy[indicator.strategy_id].append(indicator)
        strategy_of.setdefault(indicator.strategy_id, indicator.strategy)
    for strategy_id, strategy in sorted(strategy_of.items(), key=lambda kv: _natural(kv[1].code)):
        _indicators(changes, None, by_strategy.get(strategy_id, []), current_by_strategy.get(strategy_id, []), indicators_sheet,
                    with_results, problems, owner_label=strategy_token(strategy), strategy_id=strategy_id)

    if problems:
        raise PlanWorkbookError(problems)
    changes.fingerprint = _fingerprint(changes)
    return changes


def _objs(strategies: Strategies, ids: set[int] | None) -> list[Strategy]:
    if ids is None:
        return []
    return [s for s in strategies.all if s.pk in ids]


def _project_values(row: Row, sheet: ParsedSheet, strategies: Strategies, divisions: dict[str, Division], users: dict, current: Project | None,
                    problems: list[Problem], *, budget_sheet: str) -> dict[str, Any]:
    """The project fields a row sets (present columns only), with codes resolved; problems appended.

    A project with budget lines takes their sum as budget. A budget typed next to them that differs
    from the sum is refused, unless it is the budget the plan holds now (the export's old total, left
    as it was while the lines were edited).
    """
    typed = row.get("budget_typed")
    if typed is not None and (current is None or typed != current.budget):
        problems.append(sheet.problem(
            _('the budget %(typed)s baht differs from the sum of the project\'s lines in the sheet "%(sheet)s", %(sum)s baht; leave it empty or correct it.')
            % {"typed": baht(typed), "sheet": budget_sheet, "sum": baht(row.get("budget"))}, row.number, "budget",
        ))
    values: dict[str, Any] = {}
    for key in ("name", "responsible_people", "budget", "start_date", "end_date", "rationale", "objectives", "targets_quantity", "targets_quality"):
        if key in sheet.present:
            values[key] = row.get(key) if row.get(key) is not None else ("" if key not in ("budget", "start_date", "end_date") else None)
    if values.get("budget") is None:
        values.pop("budget", None)
    token = row.get("strategy")
    if token:
        found = strategies.resolve(token)
        if isinstance(found, str):
            problems.append(sheet.problem(found, row.number, "strategy"))
        else:
            values["strategy"] = found
    if "strategies" in sheet.present:
        linked = []
        for token in row.get("strategies") or []:
            found = strategies.resolve(token)
            if isinstance(found, str):
                problems.append(sheet.problem(found, row.number, "strategies"))
            elif found not in linked:
                linked.append(found)
        values["strategies"] = linked
    code = row.get("division")
    if code:
        division = divisions.get(code) or (divisions.get(code.zfill(2)) if code.isdigit() else None)
        if division is None:
            problems.append(sheet.problem(
                _('there is no division with code "%(code)s" in this office; use one of: %(codes)s.') % {"code": code, "codes": ", ".join(sorted(divisions)) or "-"},
                row.number, "division",
            ))
        else:
            values["division"] = division
    if "owner" in sheet.present:
        username = row.get("owner")
        if not username:
            values["owner"] = None
        elif username in users:
            values["owner"] = users[username]
        elif current is not None and current.owner is not None and current.owner.username == username:
            values["owner"] = current.owner  # kept as it is, even if the person has since left the office
        else:
            problems.append(sheet.problem(_('no staff member of this office has the username "%(name)s".') % {"name": username}, row.number, "owner"))
    return values


def _indicator_values(row: Row, sheet: ParsedSheet) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in INDICATOR_FIELDS:
        if key not in sheet.present:
            continue
        value = row.get(key)
        values[key] = INDICATOR_DEFAULTS.get(key) if value is None or value == "" else value
    return values


def _indicators(changes: PlanChanges, project_code: str | None, rows: list[Row], current: list[Indicator], sheet: ParsedSheet,
                with_results: set[int], problems: list[Problem], *, owner_label: str, strategy_id: int | None = None) -> None:
    """Match a project's (or an office strategy's) indicator rows with its indicators: by code, then by name."""
    unmatched = list(current)
    pairs: list[tuple[Row, Indicator | None]] = []
    matched: dict[int, Indicator] = {}
    for row in rows:
        code = row.get("code")
        hit = next((i for i in unmatched if code and i.code == code), None)
        if hit is not None:
            unmatched.remove(hit)
            matched[row.number] = hit
    for row in rows:
        if row.number in matched:
            continue
        name = one_line(row.get("name"))
        hit = next((i for i in unmatched if one_line(i.name) == name), None)
        if hit is not None:
            unmatched.remove(hit)
            matched[row.number] = hit
    for row in rows:
        pairs.append((row, matched.get(row.number)))
    for row, indicator in pairs:
        wanted = _indicator_values(row, sheet)
        code = wanted.get("code") if "code" in wanted else (indicator.code if indicator else "")
        key = f"{owner_label} · {code}" if code else owner_label
        if indicator is None:
            new = {**INDICATOR_DEFAULTS, **wanted}
            changes.added["indicators"].append(Line(key, new.get("name", ""), row.number, _added(new, INDICATOR_FIELDS, layout.INDICATORS)))
            changes.creates["indicators"].append((project_code, {**new, "strategy_id": strategy_id}))
            continue
        diff = _diff(indicator, wanted, INDICATOR_FIELDS, layout.INDICATORS)
        if diff:
            changes.changed["indicators"].append(Line(key, indicator.name, row.number, diff))
            changes.updates["indicators"].append((indicator, {c.field: wanted[c.field] for c in diff}))
        else:
            changes.unchanged["indicators"] += 1
    for indicator in unmatched:
        key = f"{owner_label} · {indicator.code}" if indicator.code else owner_label
        if indicator.pk in with_results:
            problems.append(Problem(
                _('the indicator "%(name)s" of %(owner)s is not in the workbook but has reported results; it cannot be removed. Add it back to this sheet.')
                % {"name": indicator.name, "owner": owner_label}, sheet=sheet.title, sheet_order=2,
            ))
            continue
        changes.removed["indicators"].append(Line(key, indicator.name))
        changes.deletes["indicators"].append(indicator.pk)


def _activities(changes: PlanChanges, project_code: str, rows: list[Row], current: list[Activity], sheet: ParsedSheet) -> None:
    by_order = {a.order: a for a in current}
    seen = set()
    for row in rows:
        order = row.get("order")
        if order is None or order in seen:
            continue
        seen.add(order)
        months = [m for m in layout.FISCAL_MONTH_ORDER if row.get(f"m{m}")]
        wanted = {"name": row.get("name") or "", "months": months}
        if "budget" in sheet.present:
            wanted["budget"] = row.get("budget") or ZERO
        if "responsible" in sheet.present:
            wanted["responsible"] = row.get("responsible") or ""
        key = f"{project_code} · {order}"
        activity = by_order.pop(order, None)
        if activity is None:
            new = {"responsible": "", "budget": ZERO, **wanted}
            changes.added["activities"].append(Line(key, new["name"], row.number, _added(new, ACTIVITY_FIELDS, layout.ACTIVITIES)))
            changes.creates["activities"].append((project_code, {"order": order, **new}))
            continue
        diff = _diff(activity, wanted, ACTIVITY_FIELDS, layout.ACTIVITIES)
        if diff:
            changes.changed["activities"].append(Line(key, activity.name, row.number, diff))
            changes.updates["activities"].append((activity, {c.field: wanted[c.field] for c in diff}))
        else:
            changes.unchanged["activities"] += 1
    for order, activity in sorted(by_order.items()):
        changes.removed["activities"].append(Line(f"{project_code} · {order}", activity.name))
        changes.deletes["activities"].append(activity.pk)


def _budget_lines(changes: PlanChanges, project_code: str, rows: list[Row], current: list[BudgetLine], sheet: ParsedSheet) -> None:
    by_source = {b.source: b for b in current}
    for row in rows:
        source = row.get("source")
        if source is None or row.get("amount") is None:
            continue
        wanted = {name: row.get(name) or ZERO for name in BUDGET_FIELDS}
        key = project_code  # the line's name is its source
        line = by_source.pop(source, None)
        if line is None:
            changes.added["budget_lines"].append(Line(key, _show("source", source), row.number, _added(wanted, BUDGET_FIELDS, layout.BUDGET)))
            changes.creates["budget_lines"].append((project_code, {"source": source, **wanted}))
            continue
        diff = _diff(line, wanted, BUDGET_FIELDS, layout.BUDGET)
        if diff:
            changes.changed["budget_lines"].append(Line(key, _show("source", source), row.number, diff))
            changes.updates["budget_lines"].append((line, {c.field: wanted[c.field] for c in diff}))
        else:
            changes.unchanged["budget_lines"] += 1
    for source, line in by_source.items():
        changes.removed["budget_lines"].append(Line(project_code, _show("source", source), note=baht(line.amount)))
        changes.deletes["budget_lines"].append(line.pk)


def _fingerprint(changes: PlanChanges) -> str:
    """SHA-256 of the change set: every added, changed and removed line with its old and new values."""
    payload = []
    for kind, _label in KINDS:
        for action, lines in (("add", changes.added.get(kind, [])), ("change", changes.changed.get(kind, [])), ("remove", changes.removed.get(kind, []))):
            for line in lines:
                payload.append([kind, action, line.key, line.name, line.note, [[c.field, c.old, c.new] for c in line.changes]])
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------
def write_changes(changes: PlanChanges) -> None:
    """Carry out ``changes`` (inside the caller's transaction): removals first, then projects, then their children.

    Bulk statements only, so the number of queries does not grow with the number of records:
    a removal before a creation keeps the unique (project, number) and (project, source) keys free.
    """
    office, fiscal_year = changes.office, changes.fiscal_year
    for kind, model in (("budget_lines", BudgetLine), ("activities", Activity), ("indicators", Indicator)):
        if changes.deletes[kind]:
            model.objects.filter(pk__in=changes.deletes[kind]).delete()
    if changes.project_deletes:
        Project.objects.filter(pk__in=changes.project_deletes).delete()

    created = Project.objects.bulk_create([Project(office=office, fiscal_year=fiscal_year, code=code, **values) for code, values, _ids in changes.project_creates])
    if changes.project_updates:
        fields: set[str] = set()
        for project, values, _ids in changes.project_updates:
            for name, value in values.items():
                setattr(project, name, value)
            fields |= set(values)
        if fields:
            Project.objects.bulk_update([p for p, _v, _i in changes.project_updates], fields=sorted(fields))
    links = [(p.pk, ids) for p, (_c, _v, ids) in zip(created, changes.project_creates) if ids is not None]
    links += [(p.pk, ids) for p, _v, ids in changes.project_updates if ids is not None]
    if links:
        through = Project.strategies.through
        through.objects.filter(project_id__in=[pk for pk, _ids in links]).delete()
        through.objects.bulk_create([through(project_id=pk, strategy_id=sid) for pk, ids in links for sid in sorted(ids)])

    ids = dict(Project.objects.filter(office=office, fiscal_year=fiscal_year).values_list("code", "pk")) if any(changes.creates.values()) else {}
    Indicator.objects.bulk_create([
        Indicator(project_id=ids[code] if code else None, **values) for code, values in changes.creates["indicators"]
    ])
    Activity.objects.bulk_create([Activity(project_id=ids[code], **values) for code, values in changes.creates["activities"]])
    BudgetLine.objects.bulk_create([BudgetLine(project_id=ids[code], **values) for code, values in changes.creates["budget_lines"]])
    for kind, model in (("indicators", Indicator), ("activities", Activity), ("budget_lines", BudgetLine)):
        updates = changes.updates[kind]
        if not updates:
            continue
        fields = set()
        for obj, values in updates:
            for name, value in values.items():
                setattr(obj, name, value)
            fields |= set(values)
        model.objects.bulk_update([o for o, _v in updates], fields=sorted(fields))
