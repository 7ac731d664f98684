from datetime import date

from django.db import migrations, models


def opened_on_from_evidence(apps, schema_editor):
    """A flag's opened date is its first evidence's date (CLINICAL.md §4a)."""
    Flag = apps.get_model("tracker", "Flag")
    for flag in Flag.objects.all().only("id", "evidence", "last_evidence_on"):
        dates = [
            date.fromisoformat(entry["date"])
            for entry in flag.evidence or []
            if isinstance(entry, dict) and entry.get("date")
        ]
        flag.opened_on = min([*dates, flag.last_evidence_on])
        flag.save(update_fields=["opened_on"])


class Migration(migrations.Migration):
    dependencies = [("tracker", "0003_flags")]

    operations = [
        migrations.AddField(
            model_name="flag",
            name="opened_on",
            field=models.DateField(null=True, verbose_name="opened on"),
        ),
        migrations.RunPython(opened_on_from_evidence, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="flag",
            name="opened_on",
            field=models.DateField(verbose_name="opened on"),
        ),
        migrations.AddField(
            model_name="flag",
            name="answer_changed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="answer changed at"),
        ),
        migrations.AddField(
            model_name="flag",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="withdrawn at"),
        ),
        migrations.AlterField(
            model_name="flag",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("acknowledged", "Acknowledged"),
                    ("resolved", "Resolved"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="open",
                max_length=15,
                verbose_name="status",
            ),
        ),
        migrations.RemoveConstraint(model_name="flag", name="flag_one_unresolved_per_rule"),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["open", "acknowledged"])),
                fields=("patient", "rule"),
                name="flag_one_unresolved_per_rule",
            ),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.CheckConstraint(
                condition=models.Q(("opened_on__lte", models.F("last_evidence_on"))),
                name="flag_opened_before_last_evidence",
            ),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "withdrawn"), ("withdrawn_at__isnull", False))
                | (~models.Q(("status", "withdrawn")) & models.Q(("withdrawn_at__isnull", True))),
                name="flag_withdrawn_has_time",
            ),
        ),
    ]
