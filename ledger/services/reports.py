"""The report admins get every midnight: yesterday's figures, written once per club-local day."""
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from ledger.models import DailyReport, Event
from ledger.clubtime import club_midnight, club_today
from ledger.selectors.reports import report, report_figures
from ledger.signals import notify_changed


def daily_report_make(*, now: datetime | None = None) -> DailyReport | None:
    """Yesterday's report and its one event for the admins; None when it exists already.

    The row is unique per day and the event is written in the row's transaction, so however many
    workers run this at midnight (or again after a restart) admins are told exactly once.
    """
    today = club_today(now)
    day = today - timedelta(days=1)
    if DailyReport.objects.filter(day=day).exists():
        return None
    end = club_midnight(today)
    figures = {
        "day": day.isoformat(),
        "yesterday": report_figures(report(start=club_midnight(day), end=end)),
        "month_to_date": report_figures(report(start=club_midnight(day.replace(day=1)), end=end)),
    }
    try:
        with transaction.atomic():
            row = DailyReport.objects.create(day=day, figures=figures)
            # The row's id lets the bot record whom it told, so a repeat of the event tells nobody twice.
            Event.objects.create(kind="report.daily", payload={**figures, "report_id": row.pk})
    except IntegrityError:  # another worker wrote it first
        return None
    notify_changed("report.daily")
    return row
