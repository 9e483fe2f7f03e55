"""Make the audit log append-only in the database itself: UPDATE and DELETE are refused.

In production the application's database role does not own the table, so it cannot TRUNCATE it or
drop these triggers either; retention deletes run as the owner.
"""

from django.db import migrations

from normalitet.audit.triggers import POSTGRES, POSTGRES_REVERSE, SQLITE, SQLITE_REVERSE


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
