"""The Mini App in headless Chromium: a player's page, signed as Telegram signs it, spins 10 and the
wheel stops on each outcome the server drew; nothing is fetched from another host."""
from urllib.parse import quote, urlsplit

import pytest
from PIL import Image

from ledger import services
from ledger.models import Spin
from ledger.rules import winnable_prizes
from tests.browser import Browser
from tests.conftest import PLAYER_ID
from tests.miniapp import BOT_TOKEN, signed_init_data

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads what the test writes

# Installed before the page's own scripts: every CSP violation the page causes, kept for the test.
RECORD_VIOLATIONS = """window.cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.blockedURI + ' ' +
  e.violatedDirective));"""


@pytest.fixture
def wheel_page(chromium, live_server, settings, player, admin):
    settings.BOT_TOKEN = BOT_TOKEN
    services.spins_grant(telegram_id=PLAYER_ID, spins=30, reason="test", actor=admin)
    script = chromium.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
    browser = Browser(chromium, live_server.url)
    browser.open("/miniapp/#tgWebAppData=" + quote(signed_init_data(PLAYER_ID), safe=""))
    yield browser
    chromium.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


def state(browser: Browser) -> str:
    return browser.driver.execute_script("return document.getElementById('app').dataset.state")


def enabled_buttons(browser: Browser) -> list[str]:
    return browser.driver.execute_script(
        "return [...document.querySelectorAll('#buttons button')].filter(b => !b.disabled).map(b => b.textContent)")


def test_spin_ten_on_the_wheel(wheel_page, live_server):
    browser = wheel_page
    browser.wait_for(lambda driver: state(browser) == "idle")
    assert "30 spins available" in browser.text()
    assert enabled_buttons(browser) == ["1", "10", "25", "All"]
    legend = browser.driver.execute_script(
        "return [...document.querySelectorAll('#legend li span:nth-child(2)')].map(s => s.textContent)")
    assert legend == [prize.label for prize in winnable_prizes()]

    browser.find("#buttons button[data-count='10']").click()
    browser.wait_for(lambda driver: state(browser) == "idle" and not browser.find("#summary").get_attribute("hidden"))
    drawn = list(Spin.objects.filter(player__telegram_id=PLAYER_ID).order_by("nonce").values_list("prize", flat=True))
    assert len(drawn) == 10
    assert browser.driver.execute_script("return window.miniappLastBatch") == drawn
    # What the pointer shows, read back from the wheel's final angle after each animation.
    assert browser.driver.execute_script("return window.miniappLanded") == drawn
    summary = browser.find("#summary").text
    assert "10 spins:" in summary and "Spins left: 20." in summary
    assert "20 spins available" in browser.text()
    assert enabled_buttons(browser) == ["1", "10", "All"]
    assert browser.find("#last-nonces").text == "0–9" and browser.find("#nonce").text == "10"

    path = browser.screenshot("miniapp-wheel")
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is None or len(colours) > 50, "the screenshot is blank"

    hosts = browser.driver.execute_script(
        "return [location.href, ...performance.getEntriesByType('resource').map(e => e.name)]"
        ".filter(url => !url.startsWith('data:'))")
    assert {urlsplit(url).netloc for url in hosts} == {urlsplit(live_server.url).netloc}
    assert browser.driver.execute_script("return window.cspViolations") == []


def test_without_init_data_the_page_says_where_to_open_it(chromium, live_server):
    browser = Browser(chromium, live_server.url)
    browser.open("/miniapp/")
    # The page keeps Telegram's launch data for the tab's reloads: a new tab's page has none.
    chromium.execute_script("sessionStorage.clear()")
    chromium.refresh()
    browser.wait_for(lambda driver: state(browser) == "error")
    assert "Open the wheel from the bot's Free Spins screen." in browser.text()
