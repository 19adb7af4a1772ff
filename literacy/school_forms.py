"""The school's results form: one block per grade (counts and a skills × levels table) and the version.

The form only collects the raw values; :func:`literacy.submissions.check_grades` checks them (the same
checks as the Excel upload) and :meth:`ResultsForm.show_errors` puts each message next to its field.
"""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from emes.text import CleanCharField

from .submissions import COUNTS, LEVELS, SKILLS, field_key, grade_label


def _number_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "class": "form-control form-control-sm text-end", "autocomplete": "off", "size": 5})


class ResultsForm(forms.Form):
    """Fields ``<grade>-enrolled``, ``-enrolled_reason``, ``-assessed``, ``-special_needs``, ``-absent`` and
    ``<grade>-<skill>-<level>`` for each grade of ``grades``; ``version`` hidden (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, grades: list[str], registry: dict[str, int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.grades = grades
        self.registry = registry
        self.other_errors: dict[str, list[str]] = {}
        for grade in grades:
            label = grade_label(grade)
            for name, name_label in COUNTS:
                self.fields[field_key(grade, name)] = forms.CharField(required=False, label=f"{name_label} {label}", widget=_number_input(), max_length=12)
                if name == "enrolled":
                    self.fields[field_key(grade, "enrolled_reason")] = CleanCharField(
                        required=False, max_length=300, label=_("Why the enrolment differs from the registry") ,
                        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
            for skill, skill_label in SKILLS:
                for level, level_label in LEVELS:
                    self.fields[field_key(grade, skill, level)] = forms.CharField(
                        required=False, label=f"{skill_label} {label} {level_label}", widget=_number_input(), max_length=12)

    @staticmethod
    def initial_for(grades: list[str], registry: dict[str, int], stored: list[dict[str, Any]], version: int) -> dict[str, Any]:
        """Initial values: the stored results, else the registry's enrolment for ``enrolled``."""
        initial: dict[str, Any] = {"version": version}
        by_grade = {g["grade"]: g for g in stored}
        for grade in grades:
            row = by_grade.get(grade)
            if row is None:
                if grade in registry:
                    initial[field_key(grade, "enrolled")] = registry[grade]
                continue
            for name in ("enrolled", "enrolled_reason", "assessed", "special_needs", "absent"):
                initial[field_key(grade, name)] = row.get(name)
            for skill, values in (row.get("skills") or {}).items():
                for (level, _label), value in zip(LEVELS, values):
                    initial[field_key(grade, skill, level)] = value
        return initial

    def grades_data(self) -> list[dict[str, Any]]:
        """The raw values as grades data (shape of :mod:`literacy.submissions`); call after ``is_valid``."""
        data = self.cleaned_data
        out = []
        for grade in self.grades:
            row: dict[str, Any] = {"grade": grade}
            for name in ("enrolled", "enrolled_reason", "assessed", "special_needs", "absent"):
                row[name] = data.get(field_key(grade, name), "")
            row["skills"] = {skill: [data.get(field_key(grade, skill, level), "") for level, _l in LEVELS] for skill, _s in SKILLS}
            out.append(row)
        return out

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        """Put each checker message on its field, or (sums of a skill, a grade) beside its row."""
        for key, messages in errors.items():
            for message in messages:
                if key in self.fields:
                    self.add_error(key, message)
                else:
                    self.other_errors.setdefault(key, []).append(message)

    def _skill_row(self, grade: str, skill: str, label: str) -> dict[str, Any]:
        """One skill's row; its cells' messages are gathered under the row (``errors``) so that the table keeps its
        width on a phone (issue 17) while every message stays, naming its cell."""
        cells = [self[field_key(grade, skill, level)] for level, _l in LEVELS]
        errors = [str(e) for cell in cells for e in cell.errors] + list(self.other_errors.get(field_key(grade, skill), []))
        return {"key": field_key(grade, skill), "label": label, "cells": cells, "errors": errors}

    def blocks(self) -> list[dict[str, Any]]:
        """The form laid out per grade for the template: counts, reason, and the skills × levels rows."""
        out = []
        for grade in self.grades:
            out.append({
                "grade": grade, "label": grade_label(grade), "registry": self.registry.get(grade),
                "counts": [self[field_key(grade, name)] for name, _l in COUNTS],
                "reason": self[field_key(grade, "enrolled_reason")],
                "errors": self.other_errors.get(field_key(grade, "grade"), []),
                "skills": [self._skill_row(grade, skill, skill_label) for skill, skill_label in SKILLS],
            })
        return out
