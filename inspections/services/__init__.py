"""Every write of inspection rounds: schedule, issues, form, dispatch, answers, closing, recommendations.

Workflows (see ``inspections.models``)::

    round           draft → open          dispatch_forms      manager (plan officer, supervisor)
                    open → closed         close_round         manager; no answer is taken afterwards
                    closed → open         reopen_round        manager, with the reason
    dispatch        not started → draft   save_answers        the unit (school account, division head/owner)
                    not started|draft → submitted  submit_answers  the unit; every required question answered
                    submitted → draft     return_dispatch     manager, with the reason
    recommendation  open → in progress    add_follow_up       responsible division or manager
                    open|in progress → done  mark_done        responsible division or manager
                    done → closed         verify_closed       plan officer only
                    done|closed → in progress  reopen_recommendation  manager, with the reason
                    open|in progress|done → carried  carry_recommendations  manager (a copy opens in the next round)

The services live in modules by meaning (``_common``, ``rounds``, ``issues``, ``form``, ``answers``,
``recommendations``); this package exports them all, so callers import ``inspections.services``.

Each runs in ``transaction.atomic``, re-reads the row ``select_for_update``, checks the actor
(``PermissionDenied``), refuses bad input or an illegal move with a Thai ``ValidationError`` (English
msgids), and records a transition row. Nothing else assigns a status.
"""
from __future__ import annotations

from ._common import (
    RoundStatus,
    DispatchStatus,
    RecStatus,
    SCHEDULE_FIELDS,
    DATE_FIELDS,
    EVIDENCE_TYPES,
    EVIDENCE_EXTENSIONS,
    StandardsWarning,
    round_label,
)
from .rounds import (
    create_round,
    update_round,
    close_round,
    reopen_round,
)
from .issues import (
    add_issue,
    update_issue,
    delete_issue,
    add_indicator,
    update_indicator,
    delete_indicator,
    copy_issues,
)
from .form import (
    build_form,
    add_question,
    update_question,
    delete_question,
    default_due_on,
    dispatch_forms,
)
from .answers import (
    parse_number,
    save_answers,
    missing_answers,
    submit_answers,
    return_dispatch,
    add_answer_evidence,
    save_answers_with_evidence,
    remove_answer_evidence,
)
from .recommendations import (
    add_recommendation,
    update_recommendation,
    add_follow_up,
    mark_done,
    verify_closed,
    reopen_recommendation,
    carry_recommendations,
)

__all__ = [
    "RoundStatus",
    "DispatchStatus",
    "RecStatus",
    "SCHEDULE_FIELDS",
    "DATE_FIELDS",
    "EVIDENCE_TYPES",
    "EVIDENCE_EXTENSIONS",
    "StandardsWarning",
    "round_label",
    "create_round",
    "update_round",
    "close_round",
    "reopen_round",
    "add_issue",
    "update_issue",
    "delete_issue",
    "add_indicator",
    "update_indicator",
    "delete_indicator",
    "copy_issues",
    "build_form",
    "add_question",
    "update_question",
    "delete_question",
    "default_due_on",
    "dispatch_forms",
    "parse_number",
    "save_answers",
    "missing_answers",
    "submit_answers",
    "return_dispatch",
    "add_answer_evidence",
    "save_answers_with_evidence",
    "remove_answer_evidence",
    "add_recommendation",
    "update_recommendation",
    "add_follow_up",
    "mark_done",
    "verify_closed",
    "reopen_recommendation",
    "carry_recommendations",
]
