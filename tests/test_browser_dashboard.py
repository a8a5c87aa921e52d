"""The dashboard in a real browser: both charts drawn from our own Chart.js, a point per day, and the
month's figures as the report has them."""
from datetime import timedelta

import pytest

from ledger import selectors, services
from ledger.clubtime import club_today
from ledger.selectors import CHART_DAYS
from tests.conftest import PLAYER_ID, deposit_for, seed_payment_methods
from tests.test_dashboard import seed, seed_day

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads what the test writes

# How much of a canvas is drawn on: the share of its pixels that are not transparent.
INKED = """
const canvas = document.getElementById(arguments[0]);
const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
let inked = 0;
for (let index = 3; index < pixels.length; index += 4) { if (pixels[index] !== 0) inked += 1; }
return inked / (pixels.length / 4);
"""
# What the chart holds, read back from Chart.js itself.
CHART_DATA = """
const chart = Chart.getChart(document.getElementById(arguments[0]));
return chart && {labels: chart.data.labels.length,
                 datasets: chart.data.datasets.map((set) => ({label: set.label, data: set.data}))};
"""


@pytest.fixture
def busy_month(admin):
    seed_payment_methods()
    services.user_upsert(telegram_id=PLAYER_ID, username="ali", first_name="Ali", pppoker_id="12345")
    today = club_today()
    seed(admin, [today - timedelta(days=offset) for offset in (29, 21, 14, 9, 4, 2, 1)], deposits=2, spins=20)
    seed_day(admin, None, deposits=2, spins=20)  # today, before the page's "now" whatever the hour
    deposit_for(PLAYER_ID, amount="640")
    return today


def test_the_charts_draw_a_point_per_day_and_the_figures_are_the_month_s(staff_browser, busy_month):
    staff_browser.open("/admin/")
    staff_browser.find("#dashboard-link a").click()
    for canvas in ("money-chart", "activity-chart"):
        chart = staff_browser.wait_for(lambda driver, canvas=canvas: driver.execute_script(CHART_DATA, canvas))
        assert chart["labels"] == CHART_DAYS
        assert all(len(dataset["data"]) == CHART_DAYS for dataset in chart["datasets"]), chart
        staff_browser.wait_for(lambda driver, canvas=canvas: driver.execute_script(INKED, canvas) > 0.02)
    days = selectors.dashboard().days
    money = staff_browser.driver.execute_script(CHART_DATA, "money-chart")["datasets"]
    assert [dataset["label"] for dataset in money] == ["Deposits", "Withdrawals", "Net"]
    assert money[2]["data"] == [float(day.net_base) for day in days]
    activity = staff_browser.driver.execute_script(CHART_DATA, "activity-chart")["datasets"]
    assert activity[0]["data"] == [day.spins_used for day in days] and sum(activity[0]["data"]) == 8 * 20

    month = selectors.report(period="MONTH")
    rows = dict(staff_browser.driver.execute_script(
        "return [...document.querySelectorAll('#figures-month tr')].map((row) => [row.cells[0].textContent,"
        " row.cells[1].textContent])"))
    assert rows["Net"] == f"{month.net_base:,.2f} MVR"
    assert rows["Deposits, all methods"] == f"{month.deposits_base:,.2f} MVR"
    assert rows[f"Open credits now ({month.open_credits})"] == f"{month.open_credits_base:,.2f} MVR"
    assert "1\nDeposits" in staff_browser.find("#pending").text
    assert not staff_browser.scrolls_sideways()
    refused = [entry["message"] for entry in staff_browser.driver.get_log("browser")
               if "Content Security Policy" in entry["message"]]
    assert refused == []
    staff_browser.screenshot("dashboard")
