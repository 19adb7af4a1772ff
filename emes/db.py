"""Database housekeeping the services call: fresh planner statistics after a bulk import.

PostgreSQL's planner chooses between an index and a scan from the table statistics that ``ANALYZE``
gathers. Autovacuum gathers them only after enough rows changed *and* its next nap ends (a minute by
default), so the first pages after a bulk import are planned with the statistics of an empty table: issue 18
measured a literacy form GET at 50 ms and the school home page scanning all 29,579 schools right after the
national school list was loaded. Every bulk import (school registry, plan workbook, school accounts,
inspection issues, the demo load) therefore calls :func:`analyze` with the models it wrote
(PostgreSQL documentation, "Updating Planner Statistics", routine-vacuuming.html#VACUUM-FOR-STATISTICS).
"""
from __future__ import annotations

import logging

from django.db import DatabaseError, connection, models, transaction

logger = logging.getLogger(__name__)


def analyze_tables(*tables: str) -> list[str]:
    """The SQL statements :func:`analyze` runs for ``tables`` (table names; none = the whole database)."""
    if not tables:
        return ["ANALYZE"]
    names = ", ".join(connection.ops.quote_name(t) for t in dict.fromkeys(tables))
    return [f"ANALYZE {names}"]


def _tables(model_list: tuple[type[models.Model], ...]) -> list[str]:
    tables: list[str] = []
    for model in model_list:
        tables.append(model._meta.db_table)
        # Many-to-many tables written by the same import (e.g. a project's strategies).
        tables.extend(f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many
                      if f.remote_field.through._meta.auto_created)
    return tables


def analyze(*model_list: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics of the tables of ``model_list`` once the transaction commits.

    No models: the whole database (the demo load). Runs after the surrounding ``transaction.atomic()``
    commits (at once in autocommit), so the statistics see the imported rows and a rolled-back import
    costs nothing; a failure is logged, never raised (the import itself has committed). A no-op on SQLite,
    whose planner needs no statistics for these tables. Cost: PostgreSQL samples at most 300 × its
    ``default_statistics_target`` rows per table (30,000 by default), tens of milliseconds for the
    national school list.
    """
    if connection.vendor != "postgresql":
        return
    statements = analyze_tables(*_tables(model_list))

    def run() -> None:
        try:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        except DatabaseError:
            logger.exception("ANALYZE after a bulk import failed: %s", statements)

    transaction.on_commit(run)
