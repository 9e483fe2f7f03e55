"""The health service's log is append-only in its own database too: UPDATE and DELETE refused."""

from django.db import migrations

from normalitet.audit.triggers import for_table

SQL = for_table("health_healthauditevent")


def forwards(apps, schema_editor):
    for sql in SQL[schema_editor.connection.vendor]:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in SQL[f"{schema_editor.connection.vendor}_reverse"]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
