"""One audit trail for EMES: status transitions of the apps' objects and audit events of security-relevant changes.

- :class:`~emes.audit.models.TransitionBase` is the abstract "who moved what from which status to which, when,
  why" row; each app's concrete transition model subclasses it and names its subject foreign key in
  ``subject_field``. Services write through :func:`~emes.audit.services.record_transition` only.
- :class:`~emes.audit.models.AuditEvent` records who did what to whom, with the state before and after, for
  changes that grant or take away access (role grants and removals, accounts created, passwords reset by staff,
  office settings), the way Zulip's ``RealmAuditLog`` does. Services write through
  :func:`~emes.audit.services.record_audit_event`.
"""
