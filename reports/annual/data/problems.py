"""ส่วนที่ ๕ ปัญหา อุปสรรค และข้อเสนอแนะ: what owners wrote each quarter, per strategy and project (reviewed reports only)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .results import ProjectResult, ResultsChapter, StrategyResult


@dataclass
class ProjectProblems:
    result: ProjectResult
    lines: list[tuple[int, str, str]]  # (quarter, problems, suggestions), quarters with something written


@dataclass
class StrategyProblems:
    strategy: StrategyResult
    projects: list[ProjectProblems] = field(default_factory=list)


@dataclass
class ProblemsChapter:
    strategies: list[StrategyProblems]

    @property
    def count(self) -> int:
        return sum(len(p.lines) for s in self.strategies for p in s.projects)


def problems_chapter(results: ResultsChapter) -> ProblemsChapter:
    """Gather problems and suggestions from Part 3's reviewed quarters (no query: they were read there)."""
    out = []
    for block in results.strategies:
        sp = StrategyProblems(block)
        for project in block.projects:
            lines = [(q.quarter, q.problems.strip(), q.suggestions.strip()) for q in project.quarters if q.problems.strip() or q.suggestions.strip()]
            if lines:
                sp.projects.append(ProjectProblems(project, lines))
        if sp.projects:
            out.append(sp)
    return ProblemsChapter(out)
