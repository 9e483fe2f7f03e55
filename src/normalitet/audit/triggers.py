"""The SQL that makes the audit log append-only, per database backend."""

SQLITE = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_event_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_refuse();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_refuse();",
]


def for_table(table: str) -> dict[str, list[str]]:
    """The same refusals for another append-only table (the health service's log), by vendor:
    ``sqlite``, ``sqlite_reverse``, ``postgresql``, ``postgresql_reverse``."""
    name = table.removesuffix("event").rstrip("_")
    return {
        "sqlite": [
            f"""CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {table}
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
            f"""CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {table}
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
        ],
        "sqlite_reverse": [
            f"DROP TRIGGER IF EXISTS {name}_no_update;",
            f"DROP TRIGGER IF EXISTS {name}_no_delete;",
        ],
        "postgresql": [
            f"""CREATE OR REPLACE FUNCTION {name}_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
            f"""CREATE TRIGGER {name}_no_change BEFORE UPDATE OR DELETE ON {table}
       FOR EACH ROW EXECUTE FUNCTION {name}_refuse();""",
        ],
        "postgresql_reverse": [
            f"DROP TRIGGER IF EXISTS {name}_no_change ON {table};",
            f"DROP FUNCTION IF EXISTS {name}_refuse();",
        ],
    }
