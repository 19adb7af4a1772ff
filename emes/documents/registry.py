"""The builders of document jobs, by kind; each app registers its own in ``AppConfig.ready()`` (docs/documents.md)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: ``build(job, progress)`` returns ``(filename, pdf bytes)``; ``progress(pct)`` (0-100) reports how far it is and
#: refreshes the job's heartbeat. It reads what it builds through ``job.office`` and ``job.target_id`` and raises
#: ``LookupError`` when the target is gone (the job then fails with that reason).
Build = Callable[["object", Callable[[int], None]], tuple[str, bytes]]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: ``key`` (``"app.name"``, stored on the job), a lazy translated ``label`` and its builder."""

    key: str
    label: str
    build: Build


_builders: dict[str, DocumentKind] = {}


def register_document(key: str, label: str, build: Build) -> DocumentKind:
    """Register the builder of kind ``key`` (once, from ``AppConfig.ready()``); returns the kind."""
    kind = DocumentKind(key, label, build)
    _builders[key] = kind
    return kind


def document_kind(key: str) -> DocumentKind:
    """The registered kind ``key``; raises ``LookupError`` when no app registered it."""
    try:
        return _builders[key]
    except KeyError:
        raise LookupError(f"no document builder registered for {key!r}") from None


def document_kinds() -> tuple[DocumentKind, ...]:
    return tuple(_builders.values())
