"""The desk's dashboard page: what waits for a decision, today's and this month's figures, and the
last 30 club-local days drawn with Chart.js (our own static copy; the page's script is a static file
reading its data from json_script, as the content security policy allows no inline script)."""
from django.template.response import TemplateResponse
from django.urls import reverse

from ledger import selectors
from ledger.admin import money
from ledger.clubtime import club_time_text
from ledger.models import RequestStatus
from ledger.selectors import Report

PENDING_TITLES = {"deposit": "Deposits", "withdrawal": "Withdrawals", "spin": "Spin rewards",
                  "seatrequest": "Seat requests", "cashbackclaim": "Recovery claims", "joinrequest": "Join requests"}


def _figures(report: Report) -> list[tuple[str, str]]:
    """A report as the desk reads it: one line per figure, MVR unless the method's currency says otherwise."""
    lines = []
    for title, totals in (("Deposits", report.deposits), ("Withdrawals", report.withdrawals)):
        for row in totals:
            in_mvr = "" if row.currency == "MVR" else f" = {money(row.amount_base, 'MVR')}"
            lines.append((f"{title} by {row.method} ({row.count})", money(row.amount, row.currency) + in_mvr))
        lines.append((f"{title}, all methods", money(getattr(report, f"{title.lower()}_base"), "MVR")))
    lines += [(f"Spin chips approved ({report.spin_chips_approved:,})", money(report.spin_chips_base, "MVR")),
              ("Deposit bonuses", money(report.bonuses_base, "MVR")),
              ("Recovery paid", money(report.cashback_base, "MVR")),
              (f"Open credits now ({report.open_credits})", money(report.open_credits_base, "MVR")),
              ("Net", money(report.net_base, "MVR"))]
    return lines


def dashboard_view(site, request):
    board = selectors.dashboard()
    pending = [{"title": PENDING_TITLES[kind], "count": count,
                "url": reverse(f"{site.name}:ledger_{kind}_changelist") + f"?status__exact={RequestStatus.PENDING}"}
               for kind, count in board.pending.items()]
    charts = {
        "days": [day.day.isoformat() for day in board.days],
        "deposits": [float(day.deposits_base) for day in board.days],
        "withdrawals": [float(day.withdrawals_base) for day in board.days],
        "net": [float(day.net_base) for day in board.days],
        "spins_used": [day.spins_used for day in board.days],
        "chips_approved": [day.chips_approved for day in board.days],
    }
    context = {**site.each_context(request), "title": "Dashboard", "pending": pending,
               "today": _figures(board.today), "month": _figures(board.month), "charts": charts,
               "as_of": club_time_text(board.now), "chart_days": len(board.days)}
    return TemplateResponse(request, "admin/ledger/dashboard.html", context)
