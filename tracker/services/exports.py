"""A patient's data export as CSV files in one ZIP (one file per kind of record)."""

import csv
import io
import json
import zipfile
from datetime import date, datetime
from typing import Any
from uuid import UUID


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


def export_csv_zip(data: dict[str, Any]) -> bytes:
    """`data` is what tracker.selectors.patient_export returns (after a JSON round trip); one
    CSV file per list in it (an empty file for an empty list)."""
    items = [
        {"assignment": a["id"], "version": a["version"], **item}
        for a in data["assignments"]
        for item in a["items"]
    ]
    assignments = [{k: v for k, v in a.items() if k != "items"} for a in data["assignments"]]
    files = {
        "account.csv": [{**data["account"], **(data["profile"] or {})}],
        "care_team.csv": data["care_team"],
        "assignments.csv": assignments,
        "assignment_items.csv": items,
        "sessions.csv": data["sessions"],
        "checkins.csv": data["checkins"],
        "checkin_revisions.csv": data["checkin_revisions"],
        "psfs_activities.csv": data["psfs"]["activities"],
        "psfs_ratings.csv": data["psfs"]["ratings"],
        "psfs_scores.csv": data["psfs"]["scores"],
        "flags.csv": data["flags"],
        "reminder_schedules.csv": data["reminders"]["schedules"],
        "push_subscriptions.csv": data["reminders"]["push_subscriptions"],
        "reminder_deliveries.csv": data["reminders"]["deliveries"],
        "inbox.csv": data["reminders"]["inbox"],
        "care_team_alerts.csv": data["care_team_alerts"]["inbox"],
        "care_team_alert_deliveries.csv": data["care_team_alerts"]["deliveries"],
        "care_team_digest_items.csv": data["care_team_alerts"]["digest_items"],
        "api_sign_ins.csv": data["api_tokens"],
        "audit.csv": data["audit"],
        "messages.csv": data["messages"],
        "message_reads.csv": data["conversation"]["reads"],
        "invitations.csv": data["invitations"],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in files.items():
            # utf-8-sig: spreadsheet programs then read the Chinese text correctly.
            archive.writestr(name, _csv(rows).encode("utf-8-sig"))
    return buffer.getvalue()


def export_filename(*, display_name: str, on: date, extension: str) -> str:
    """rehab-<patient>-<date>.<ext>: a download a clinic can file (the name kept in any script;
    the Content-Disposition header carries it as UTF-8)."""
    name = "-".join(display_name.split()) or "patient"
    name = "".join(ch for ch in name if ch.isalnum() or ch in "-_") or "patient"
    return f"rehab-{name}-{on.isoformat()}.{extension}"
