"""A real browser for the suite: Debian's headless Chromium driven by selenium.

Nothing is downloaded at run time: the browser and its driver are the system's
(`apt-get install chromium chromium-driver`; .ci/run installs them), and the
tests that use them are skipped, saying so, where they are missing. Pages come
from Django's live server on 127.0.0.1, on the test database.

Use the `staff_browser` fixture: a logged-in staff user's window of 1440 px,
with `open(path)`, `screenshot(name)` (PNG files in var/screenshots/, to look at)
and selenium's own driver as `.driver`.
"""
import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# A quiet, hermetic browser: no sandbox (CI runs as root), nothing fetched in the background.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage")
WIDTH, HEIGHT = 1440, 900
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
WAIT_SECONDS = 15
STAFF_PASSWORD = "desk-" + os.urandom(6).hex()


def missing_browser() -> str:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        return f"needs Debian's chromium and chromium-driver ({', '.join(missing)} not found): " \
               "apt-get install -y chromium chromium-driver (.ci/run does)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "needs selenium (requirements-dev.txt)"
    return ""


@pytest.fixture(scope="session")
def chromium(live_server):
    # Asks for the live server only to be closed before it: the server's threads would otherwise
    # fail on the browser's kept-alive connections when the server stops.
    if reason := missing_browser():
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="ledger-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Browser:
    def __init__(self, driver, base_url: str):
        self.driver = driver
        self.base_url = base_url

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def find(self, css: str):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def wait_for(self, condition, timeout: float = WAIT_SECONDS):
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(self.driver, timeout).until(condition)

    def text(self) -> str:
        return self.find("body").text

    def scrolls_sideways(self) -> bool:
        """The page, or the admin's list (which scrolls in a box of its own), is wider than the window."""
        return self.driver.execute_script(
            "return [document.documentElement, ...document.querySelectorAll('#changelist .results')]"
            ".some(box => box.scrollWidth > box.clientWidth + 1)")

    def screenshot(self, name: str) -> Path:
        """The whole page at the window's width, as var/screenshots/<name>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(WIDTH, max(HEIGHT, min(height + 150, 4000)))
        path = SCREENSHOTS / f"{name}.png"
        # Written whole, then renamed: CI's two runs side by side take the same screenshots.
        partial = path.with_name(f".{name}.{os.getpid()}.png")
        self.driver.save_screenshot(str(partial))
        os.replace(partial, path)
        self.driver.set_window_size(WIDTH, HEIGHT)
        return path

    def log_in(self, username: str, password: str) -> None:
        self.open("/admin/login/")
        self.find("#id_username").send_keys(username)
        self.find("#id_password").send_keys(password)
        self.find("input[type=submit]").click()
        self.wait_for(lambda driver: "/admin/login/" not in driver.current_url)


@pytest.fixture
def staff_browser(chromium, live_server, django_user_model) -> Browser:
    """A staff user logged in to the Django admin through its login form."""
    django_user_model.objects.create_superuser("desk", "desk@example.com", STAFF_PASSWORD)
    browser = Browser(chromium, live_server.url)
    browser.open("/admin/login/")
    chromium.delete_all_cookies()  # the browser outlives each test's database
    browser.log_in("desk", STAFF_PASSWORD)
    return browser
