"""GraphiQL and the admin in a real browser under the Content-Security-Policy: they load, a query
runs, and the console shows no violation.

Headless Chromium through chromedriver's W3C WebDriver endpoint, spoken with httpx (no Selenium:
four calls are all this needs). Skipped when Debian's `chromium` and `chromium-driver` are not
installed. Everything listens on 127.0.0.1 and every wait has a deadline.
"""
import shutil
import socket
import subprocess
import tempfile
import time

import httpx
import pytest

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = [
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                       reason="needs headless Chromium: apt-get install chromium chromium-driver"),
    pytest.mark.django_db(transaction=True),  # the live server's thread sees the staff user
]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
DEADLINE = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    def __init__(self, driver: httpx.Client, session: str):
        self.driver, self.session = driver, session

    def call(self, method: str, path: str, payload: dict | None = None):
        response = self.driver.request(method, f"/session/{self.session}{path}", json=payload)
        body = response.json()
        assert response.status_code == 200, body
        return body["value"]

    def open(self, url: str) -> None:
        self.call("POST", "/url", {"url": url})

    def run(self, script: str, *args):
        return self.call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def wait_for(self, script: str, *args):
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            value = self.run(script, *args)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for: {script}")

    def console(self) -> list[dict]:
        return self.call("POST", "/se/log", {"type": "browser"})


@pytest.fixture
def browser():
    port = free_port()
    driver_process = subprocess.Popen([CHROMEDRIVER, f"--port={port}", "--allowed-ips=127.0.0.1"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    profile = tempfile.mkdtemp(prefix="csp-chromium-")
    try:
        driver = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=DEADLINE)
        deadline = time.monotonic() + DEADLINE
        while True:
            try:
                if driver.get("/status").json()["value"]["ready"]:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "chromedriver did not start"
            time.sleep(0.1)
        created = driver.post("/session", json={"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}}).json()["value"]
        browser = Browser(driver, created["sessionId"])
        try:
            yield browser
        finally:
            driver.delete(f"/session/{browser.session}")
            driver.close()
    finally:
        driver_process.terminate()
        driver_process.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


def violations(entries: list[dict]) -> list[str]:
    return [entry["message"] for entry in entries
            if "Content Security Policy" in entry["message"] or "Content-Security-Policy" in entry["message"]]


def test_graphiql_loads_and_runs_a_query_under_the_csp(browser, live_server, django_user_model, methods):
    django_user_model.objects.create_user("boss", password="a-long-test-password", is_staff=True,
                                          is_superuser=True)
    # Anonymous: GraphiQL sends the browser to the admin login, which brings it back.
    browser.open(f"{live_server.url}/graphql/")
    assert "/admin/login/?next=/graphql/" in browser.run("return location.href")
    browser.run("document.getElementById('id_username').value = arguments[0];"
                "document.getElementById('id_password').value = arguments[1];"
                "document.getElementById('login-form').submit();", "boss", "a-long-test-password")
    browser.wait_for("return location.pathname === '/graphql/' && document.querySelector('.graphiql-editor')")

    browser.wait_for("return document.querySelector('.graphiql-execute-button')")
    browser.run("document.querySelector('.graphiql-execute-button').click()")
    result = browser.wait_for("const r = document.querySelector('.result-window');"
                              "return r && r.innerText.includes('pendingDeposits') && r.innerText")
    assert '"data"' in result and "errors" not in result

    browser.open(f"{live_server.url}/admin/ledger/")
    browser.wait_for("return document.querySelector('#content h1')")
    assert violations(browser.console()) == []


def test_the_browser_reports_what_the_policy_refuses(browser, live_server):
    """The check above can fail: an inline script without the nonce is refused and reported."""
    browser.open(f"{live_server.url}/admin/login/")
    browser.run("const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                "document.body.appendChild(s);")
    assert browser.run("return window.ran === undefined")
    assert violations(browser.console())
