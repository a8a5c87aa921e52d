"""The ledger's timed jobs, run by the Huey worker (djhuey finds this module)."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from ledger import services


@db_periodic_task(crontab(minute="*"))
@lock_task("daily-report")
def daily_report() -> None:
    """Every minute, so a worker that was down at midnight catches up on its first minute back;
    the service writes each day's report once whoever runs it."""
    services.daily_report_make()
