"""Flag evidence moves from a JSON list on the flag, read and rewritten whole by every check-in,
to one FlagEvidence row per flag and date (issue 16); the flag keeps a copy of its newest entry."""

from datetime import date, datetime

import django.db.models.deletion
from django.db import migrations, models

BATCH = 500


def evidence_to_rows(apps, schema_editor):
    Flag = apps.get_model("tracker", "Flag")
    FlagEvidence = apps.get_model("tracker", "FlagEvidence")
    rows, changed = [], []
    for flag in Flag.objects.order_by("pk").iterator(chunk_size=BATCH):
        entries = sorted(flag.evidence or [], key=lambda entry: entry.get("date", ""))
        by_date = {}
        for entry in entries:
            if entry.get("date"):
                by_date[entry["date"]] = entry  # one per date; a later duplicate wins
        for key, entry in by_date.items():
            changed_at = entry.get("changed_at")
            rows.append(
                FlagEvidence(
                    flag_id=flag.pk,
                    on=date.fromisoformat(key),
                    data=entry,
                    changed_at=datetime.fromisoformat(changed_at) if changed_at else None,
                )
            )
        flag.latest_evidence = entries[-1] if entries else {}
        changed.append(flag)
        if len(rows) >= BATCH:
            FlagEvidence.objects.bulk_create(rows)
            rows = []
        if len(changed) >= BATCH:
            Flag.objects.bulk_update(changed, ["latest_evidence"])
            changed = []
    FlagEvidence.objects.bulk_create(rows)
    Flag.objects.bulk_update(changed, ["latest_evidence"])


def rows_to_evidence(apps, schema_editor):
    Flag = apps.get_model("tracker", "Flag")
    FlagEvidence = apps.get_model("tracker", "FlagEvidence")
    for flag in Flag.objects.order_by("pk").iterator(chunk_size=BATCH):
        flag.evidence = [
            row.data for row in FlagEvidence.objects.filter(flag_id=flag.pk).order_by("on")
        ]
        flag.save(update_fields=["evidence"])


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0012_assignment_item_dates"),
    ]

    operations = [
        migrations.AddField(
            model_name="flag",
            name="latest_evidence",
            field=models.JSONField(default=dict, verbose_name="latest evidence"),
        ),
        migrations.CreateModel(
            name="FlagEvidence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("on", models.DateField(verbose_name="date")),
                ("data", models.JSONField(default=dict, verbose_name="evidence")),
                (
                    "changed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="answer changed at"),
                ),
                (
                    "flag",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evidence_rows",
                        to="tracker.flag",
                    ),
                ),
            ],
            options={
                "verbose_name": "flag evidence",
                "verbose_name_plural": "flag evidence",
                "ordering": ["flag", "on"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("changed_at__isnull", False)),
                        fields=["flag"],
                        name="flag_evidence_changed_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("flag", "on"), name="flag_evidence_one_per_date"
                    )
                ],
            },
        ),
        migrations.RunPython(evidence_to_rows, rows_to_evidence),
        migrations.RemoveField(
            model_name="flag",
            name="evidence",
        ),
    ]
