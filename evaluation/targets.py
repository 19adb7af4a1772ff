"""What an evaluation may be about: a small registry the apps above fill (docs/evaluation.md, "Targets").

``evaluation`` imports only the core; the apps whose rows are evaluated (``plans``: a project, the action plan,
a strategy) register them in their ``AppConfig.ready()``::

    register_target(Project, key="project", label=_("Project"), choices=..., url=..., can_manage=...)

- ``choices(office)`` → the office's rows that may be chosen (a queryset or list), one query;
- ``url(obj)`` → the page of the row (``""`` if none);
- ``can_manage(user, obj)`` → whether ``user`` may evaluate this row without being the plan officer (a project
  owner for their own project).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class TargetKind:
    key: str
    model: type[models.Model]
    label: Any
    choices: Callable[..., Any]
    url: Callable[[Any], str]
    can_manage: Callable[[Any, Any], bool]


_TARGETS: dict[str, TargetKind] = {}


def register_target(model: type[models.Model], *, key: str, label: Any, choices: Callable[..., Any],
                    url: Callable[[Any], str] = lambda obj: "", can_manage: Callable[[Any, Any], bool] = lambda user, obj: False) -> TargetKind:
    """Register ``model`` as a possible target under ``key`` (registering a key again replaces it). Returns the kind."""
    kind = TargetKind(key=key, model=model, label=label, choices=choices, url=url, can_manage=can_manage)
    _TARGETS[key] = kind
    return kind


def target_kinds() -> list[TargetKind]:
    """The registered kinds, in registration order."""
    return list(_TARGETS.values())


def kind_of(obj: Any) -> TargetKind | None:
    """The registered kind of ``obj``'s model, or ``None``."""
    if obj is None:
        return None
    model = obj._meta.concrete_model
    return next((k for k in _TARGETS.values() if k.model is model), None)


def target_kind(key: str) -> TargetKind | None:
    return _TARGETS.get(key)
