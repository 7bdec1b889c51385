"""What every browser test stands on: a real `motcua serve --demo` on its own SQLite file
and port, and Debian's chromium driven through chromium-driver (Selenium).

A test class starts one site and one browser (`SiteTestCase`); each test opens pages on
it. Screenshots go to $MOTCUA_SCREENS (docs/screens when `make screens` runs), else to a
scratch folder, so `make test` never changes tracked files.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("MOTCUA_BINARY", os.path.join(ROOT, ".build/debug/motcua"))
SCREENS = os.environ.get("MOTCUA_SCREENS")

# Every site runs as if it were this Tuesday morning (time moves on from there), so what
# the pages offer (today's slots, the queue's day) never depends on when the tests run.
DEMO_TIME = "2026-12-01T08:30:00+07:00"

# Screen sizes: a portrait touch kiosk, a 1080p hall TV, a desk computer.
KIOSK = (1080, 1920)
TV = (1920, 1080)
DESK = (1440, 900)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """A demo site served by the real binary, stopped (SIGTERM, then SIGKILL) at the end."""

    def __init__(self, extra_args=(), demo_time=DEMO_TIME, env=None):
        self.folder = tempfile.mkdtemp(prefix="motcua-browser-")
        self.db = os.path.join(self.folder, "motcua.sqlite")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.folder, "server.log"), "ab")
        # The server refuses MOTCUA_ settings it does not know: pass none of the harness's own.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
        self.env["MOTCUA_RESOURCES_PATH"] = ROOT
        self.env.update(env or {})
        self.arguments = [BINARY, "serve", "--demo", "--demo-time", demo_time, "--db", self.db, "--host", "127.0.0.1",
                          "--port", str(self.port), *extra_args]
        self.launch()

    def launch(self):
        self.process = subprocess.Popen(self.arguments, stdout=self.log, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT)
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.process.poll() is not None or time.time() > deadline:
                    raise RuntimeError("motcua did not start; its log: " + open(self.log.name).read()[-2000:])
                time.sleep(0.1)

    def api(self, method, path, body=None, cookie=None, token=None):
        """Calls the JSON API directly: to set a scene up or check what a page did."""
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = cookie
        if token:
            headers["Authorization"] = "Bearer " + token
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + "/api/v1/" + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            return error.code, (json.loads(text) if text else None)

    def ticket(self, ticket_id):
        """A ticket as the counter sees it: by id, a ticket is read with an officer's or a
        manager's token (a citizen's device shows the ticket's QR instead)."""
        if not getattr(self, "reader_token", None):
            self.reader_token = self.token("manager")
        return self.api("GET", f"tickets/{ticket_id}", token=self.reader_token)

    def token(self, role):
        """A bearer token made with the CLI, as an installer would."""
        out = subprocess.run(
            [BINARY, "token", "create", "--db", self.db, "--role", role, "--name", f"browser-{role}"],
            check=True, capture_output=True, text=True, cwd=ROOT,
        )
        return out.stdout.strip().split()[-1]

    def halt(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stop(self):
        self.halt()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class Browser:
    """Headless chromium at a given window size, with helpers that wait for the page."""

    def __init__(self, size=KIOSK, lang="vi"):
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in (
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            f"--window-size={size[0]},{size[1]}", f"--lang={lang}",
            # Hall TVs run chromium with this flag so calls are heard without a tap.
            "--autoplay-policy=no-user-gesture-required",
        ):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
        self.driver = webdriver.Chrome(service=service, options=options)
        # The page's own area at exactly the screen's size (the window adds its frame).
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False})

    def open(self, url):
        self.driver.get(url)

    def wait(self, condition, timeout=5, message=""):
        try:
            # Pages re-render their rows on every push; an element found a moment ago may be
            # gone by the time it is read, which only means "look again".
            return WebDriverWait(self.driver, timeout, poll_frequency=0.05,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: condition())
        except TimeoutException:
            logged = [entry["message"] for entry in self.console()]
            raise AssertionError(f"timed out after {timeout}s waiting for {message or condition}; console: {logged[-5:]}")

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def visible(self, css, timeout=5):
        """The first element matching css once it is displayed."""
        def shown():
            for element in self.finds(css):
                if element.is_displayed():
                    return element
            return None
        return self.wait(shown, timeout, f"{css} to be visible")

    def text_of(self, css, timeout=5):
        return self.visible(css, timeout).text

    def wait_text(self, css, text, timeout=5):
        """Waits until a displayed element matching css contains text; returns it."""
        def found():
            for element in self.finds(css):
                if element.is_displayed() and text in element.text:
                    return element
            return None
        return self.wait(found, timeout, f"{css} containing {text!r}")

    def click(self, css, timeout=5):
        self.visible(css, timeout).click()

    def click_text(self, css, text, timeout=5):
        self.wait_text(css, text, timeout).click()

    def type(self, css, text, clear=True):
        element = self.visible(css)
        if clear:
            element.clear()
        element.send_keys(text)
        return element

    def script(self, source, *args):
        return self.driver.execute_script(source, *args)

    def console(self):
        """What the page logged since the last call: [{"level", "message", …}]."""
        return self.driver.get_log("browser")

    def screenshot(self, name):
        folder = SCREENS or os.path.join(tempfile.gettempdir(), "motcua-screens")
        os.makedirs(folder, exist_ok=True)
        self.driver.save_screenshot(os.path.join(folder, name + ".png"))

    def quit(self):
        self.driver.quit()


class SiteTestCase(unittest.TestCase):
    """One demo site and one browser per test class; `size` picks the screen."""

    size = KIOSK
    site_args = ()
    site_env = {}

    @classmethod
    def setUpClass(cls):
        cls.site = Site(cls.site_args, env=cls.site_env)
        try:
            cls.browser = Browser(cls.size)
        except Exception:
            cls.site.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.site.stop()

    def setUp(self):
        # Each test starts on a blank page (the last test's page stops listening to the
        # queue) and answers for its own console only.
        self.browser.open("about:blank")
        self.browser.console()

    def open(self, path):
        self.browser.open(self.site.url + path)

    def assertNoConsoleErrors(self, *refusals):
        """No script error and no failed request since the last check, but those named:
        (path pattern, status) pairs the test provoked on purpose, e.g. ("session", 401)."""
        errors = [entry["message"] for entry in self.browser.console() if entry["level"] == "SEVERE"
                  and not any(re.search(rf"/api/v1/{path} - Failed to load resource: the server responded with a status of {status}",
                                        entry["message"]) for path, status in refusals)]
        self.assertEqual(errors, [], "the page logged errors")
