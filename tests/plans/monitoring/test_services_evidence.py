"""Evidence files: type by content, the extension agreeing, the size limit, sanitised names, private random storage."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from emes import uploads
from plans.monitoring import services

from .conftest import move, snapshot
from .files import EXE, HTML, JPEG, OLE, PDF, PNG, ooxml, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name, content, mime", [
    ("ภาพกิจกรรม.pdf", PDF, "application/pdf"),
    ("photo.PNG", PNG, "image/png"),
    ("photo.jpeg", JPEG, "image/jpeg"),
    ("สรุปผล.docx", ooxml("word"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("งบ.xlsx", ooxml("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("slides.pptx", ooxml("ppt"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("old.doc", OLE, "application/msword"),
    ("old.xls", OLE, "application/vnd.ms-excel"),
])
def test_accepted_kinds(draft, owner_a, name, content, mime):
    evidence = services.add_evidence(draft, upload(name, content, "application/octet-stream"), by=owner_a)
    assert evidence.content_type == mime and evidence.size == len(content)
    assert evidence.original_name == name
    stored = evidence.file.name
    assert stored.startswith("evidence/") and name.rsplit(".", 1)[0] not in stored  # a random name
    assert default_storage.open(stored).read() == content


@pytest.mark.parametrize("name, content", [
    ("report.pdf", EXE),            # a program renamed to .pdf
    ("report.pdf", PNG),            # a picture renamed to .pdf
    ("report.pdf", ooxml("word")),  # a Word file renamed to .pdf
    ("page.pdf", HTML),
    ("archive.docx", ooxml("other")),  # a ZIP that is no Office file
    ("noext", PDF),
])
def test_wrong_or_renamed_types_are_refused(draft, owner_a, name, content):
    before = snapshot(draft)
    with pytest.raises(ValidationError) as exc:
        services.add_evidence(draft, upload(name, content), by=owner_a)
    assert exc.value.code in {"type", "renamed"}  # refused for what the file is, not its size or emptiness
    assert snapshot(draft) == before
    assert not default_storage.exists("evidence") or not any(default_storage.listdir("evidence")[1])


def test_an_oversized_file_is_refused(draft, owner_a, settings):
    settings.EMES_EVIDENCE_MAX_BYTES = 1024
    before = snapshot(draft)
    with pytest.raises(ValidationError) as exc:
        services.add_evidence(draft, upload("big.pdf", PDF + b"0" * 1024), by=owner_a)
    assert exc.value.code == "size"
    assert snapshot(draft) == before


def test_the_default_limit_is_10_mb(settings):
    del settings.EMES_EVIDENCE_MAX_BYTES
    assert uploads.evidence_max_bytes() == 10 * 1024 * 1024


@pytest.mark.parametrize("raw, clean", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\ครู\\ผลการดำเนินงาน ไตรมาส 1.pdf", "ผลการดำเนินงาน_ไตรมาส_1.pdf"),
    ("<script>x</script>.pdf", "script.pdf"),
    ("..hidden.pdf", "hidden.pdf"),
    ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
])
def test_names_are_sanitised_keeping_thai(raw, clean):
    assert uploads.sanitise_filename(raw) == clean


def test_evidence_is_locked_with_the_report(draft, owner_a, planner_a, director_a):
    evidence = services.add_evidence(draft, upload("a.pdf", PDF), by=owner_a)
    move(draft, "submitted", owner=owner_a, planner=planner_a, director=director_a)
    with pytest.raises(ValidationError) as exc:
        services.add_evidence(draft, upload("b.pdf", PDF), by=owner_a)
    assert exc.value.code == "locked"
    with pytest.raises(ValidationError) as exc:
        services.remove_evidence(evidence, by=owner_a)
    assert exc.value.code == "locked"
    assert draft.evidence.count() == 1


def test_removal_by_uploader_or_plan_officer(draft, owner_a, planner_a, other_owner_a, django_capture_on_commit_callbacks):
    first = services.add_evidence(draft, upload("a.pdf", PDF), by=owner_a)
    second = services.add_evidence(draft, upload("b.pdf", PDF), by=owner_a)
    with pytest.raises(PermissionDenied):
        services.remove_evidence(first, by=other_owner_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(first, by=owner_a)
    assert not default_storage.exists(first.file.name)
    services.remove_evidence(second, by=planner_a)
    assert draft.evidence.count() == 0


@pytest.mark.parametrize("who", ["viewer_a", "other_owner_a", "head_a", "director_a"])
def test_only_filers_add_evidence(request, draft, who):
    with pytest.raises(PermissionDenied):
        services.add_evidence(draft, upload("a.pdf", PDF), by=request.getfixturevalue(who))
