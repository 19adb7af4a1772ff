"""ส่วนที่ ๒ ทิศทางการดำเนินงาน: vision, mission, goals and the strategies' map to the national frame."""
from __future__ import annotations

from dataclasses import dataclass, field

from emes.models import Office
from plans.models import PlanDirection, Strategy


@dataclass
class StrategyLink:
    """An office strategy and the chain of policies it serves, nearest first (OBEC/Ministry policy, national strategy)."""

    strategy: Strategy
    serves: list[Strategy] = field(default_factory=list)
    also_serves: list[Strategy] = field(default_factory=list)


@dataclass
class Direction:
    plan: PlanDirection | None
    strategies: list[StrategyLink]

    @property
    def vision(self) -> str:
        return self.plan.vision if self.plan else ""

    @property
    def mission(self) -> list[str]:
        return self.plan.mission_items if self.plan else []

    @property
    def goals(self) -> list[str]:
        return self.plan.goal_items if self.plan else []


def direction(office: Office, fiscal_year: int) -> Direction:
    """Part 2 (3 queries): the plan's direction and each office strategy with the policies above it.

    ``serves`` follows ``Strategy.parent`` upward (at most 4 levels: office → OBEC → Ministry →
    national), read from one query of every shared strategy of the year; ``also_serves`` are the
    other levels the strategy's projects name (``Project.strategies``), without repeats.
    """
    plan = PlanDirection.objects.filter(office=office, fiscal_year=fiscal_year).first()
    frame = {s.pk: s for s in Strategy.objects.filter(fiscal_year=fiscal_year).filter(office__isnull=True)}
    own = list(Strategy.objects.filter(office=office, fiscal_year=fiscal_year, level=Strategy.Level.OFFICE)
               .prefetch_related("projects__strategies").order_by("code"))
    frame.update({s.pk: s for s in own})
    links = []
    for s in own:
        chain, parent_id, seen = [], s.parent_id, {s.pk}
        while parent_id and parent_id in frame and parent_id not in seen:
            seen.add(parent_id)
            chain.append(frame[parent_id])
            parent_id = frame[parent_id].parent_id
        also = {}
        for p in s.projects.all():
            for other in p.strategies.all():
                if other.pk not in seen:
                    also[other.pk] = other
        links.append(StrategyLink(s, chain, sorted(also.values(), key=lambda x: (x.level, x.code))))
    return Direction(plan, links)
