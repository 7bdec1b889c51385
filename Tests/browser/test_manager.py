"""The manager console as a manager uses it at a desk: lower a slot below its bookings (asked
first, then the displaced bookings listed), refuse an officer, close a day, keep the yearly
holiday notice, read the day's report (table, chart, CSV) and watch the queue live."""

import csv
import io
import json
import os
import shutil
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from harness import DESK, SiteTestCase

TODAY = "2026-12-01"  # the harness's demo Tuesday
AN = {"fullName": "Nguyễn Văn An", "idNumber": "001099012345", "phone": "0912345678"}
HOA = {"fullName": "Lê Thị Hoa", "idNumber": "079188004321", "phone": "0987654321"}


class ManagerPages(SiteTestCase):
    """Signing in to the manager console, shared by the centre's, a site's and a standalone's tests."""

    size = DESK

    def ready(self):
        return self.browser.script("return document.body.dataset.ready") == "true"

    def form_shown(self):
        # Asked in the page: a reload never leaves a stale element behind.
        return self.browser.script("const f = document.getElementById('sign-in'); return !!f && !f.hidden")

    def sign_in_form_or_console(self, path):
        self.open(path)
        self.browser.wait(lambda: self.ready() or self.form_shown(), 5, "the sign-in form or the console")

    def sign_in(self, path="/manager", username="quanly", password="quanly-demo"):
        self.sign_in_form_or_console(path)
        if not self.ready():
            self.browser.type("#username", username)
            self.browser.type("#password", password)
            self.browser.click("#sign-in button[type=submit]")
            self.browser.wait(self.ready, 5, "the console after signing in")


class ManagerTest(ManagerPages):
    # ---- helpers ----

    def sign_out(self):
        self.sign_in_form_or_console("/manager")
        if self.ready():
            self.browser.click("#sign-out")
            self.browser.wait(lambda: self.form_shown() and not self.ready(), 5, "the sign-in form after signing out")

    def tab(self, name):
        self.browser.click(f"#tab-{name}")
        self.browser.visible(f"#panel-{name}")

    def slot(self, service, day, start):
        status, slots = self.site.api("GET", f"slots?service={service}&from={day}&to={day}")
        self.assertEqual(status, 200)
        return next(s for s in slots if s["start"] == f"{day}T{start}:00+07:00")

    def book(self, slot_id, citizen):
        status, booking = self.site.api("POST", "bookings", {"slotId": slot_id, "citizen": citizen})
        self.assertEqual(status, 201, booking)
        return booking

    def retype(self, css, text):
        """Selects what a field holds and types over it, as a person does, then presses Enter."""
        field = self.browser.visible(css)
        field.click()
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(text, Keys.ENTER)
        return field

    def set_value(self, css, value):
        """Date inputs take their value the way a date picker leaves it."""
        self.browser.script(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1];"
            "e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));",
            css, value)

    # ---- tests ----

    def test_an_officer_is_refused_and_lowering_below_bookings_asks_then_lists_the_displaced(self):
        slot = self.slot("A", "2026-12-02", "09:30")
        booking = self.book(slot["id"], AN)

        self.sign_out()
        self.browser.type("#username", "canbo")
        self.browser.type("#password", "canbo-demo")
        self.browser.click("#sign-in button[type=submit]")
        self.browser.wait_text("#sign-in [role=alert]", "không có quyền")
        self.assertFalse(self.browser.find("#console").is_displayed())

        self.browser.type("#username", "quanly")
        self.browser.type("#password", "quanly-demo")
        self.browser.click("#sign-in button[type=submit]")
        self.browser.wait(self.ready, 5, "the manager console")
        self.browser.wait_text("#who", "Đang đăng nhập")
        cell = f'#cap-grid td[data-slot="{slot["id"]}"]'
        self.browser.wait_text(cell, "1 đã đặt")

        # Escape in the confirmation keeps everything as it was.
        self.retype(cell + " input", "0")
        # The confirmation names whom the change would displace, before anything changes.
        self.browser.wait_text("#confirm", booking["code"])
        self.browser.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        self.browser.wait_text("#cap-status", "giữ nguyên")
        self.assertEqual(self.browser.find(cell + " input").get_attribute("value"), str(slot["capacity"]))
        self.assertEqual(self.slot("A", "2026-12-02", "09:30")["booked"], 1)

        self.retype(cell + " input", "0")
        dialog = self.browser.wait_text("#confirm", booking["code"])
        self.assertIn("09:30", dialog.text)
        self.assertIn(AN["fullName"], dialog.text)
        self.assertIn("sẽ bị dời", self.browser.text_of("#confirm-detail"))  # the server's own refusal
        self.browser.screenshot("manager-capacity-confirm")
        # Nothing changed while the manager decides.
        self.assertEqual(self.slot("A", "2026-12-02", "09:30")["capacity"], slot["capacity"])

        self.browser.click("#confirm-ok")
        displaced = self.browser.wait_text("#cap-displaced", booking["code"])
        self.assertIn(AN["fullName"], displaced.text)
        self.assertIn(AN["phone"], displaced.text)
        self.browser.wait_text("#cap-status", f"{slot['capacity']} → 0")
        after = self.slot("A", "2026-12-02", "09:30")
        self.assertEqual((after["capacity"], after["booked"]), (0, 0))
        status, stored = self.site.api("GET", f"bookings/{booking['code']}")
        self.assertEqual((status, stored["status"], stored["needsContact"]), (200, "displaced", True))
        self.assertEqual(self.browser.find(cell + " input").get_attribute("value"), "0")
        self.browser.script("document.activeElement.blur(); window.scrollTo(0, 0)")
        self.browser.screenshot("manager-capacity")

        # Raising it again needs no confirmation.
        self.retype(cell + " input", "3")
        self.browser.wait_text("#cap-status", "0 → 3")
        self.assertEqual(self.slot("A", "2026-12-02", "09:30")["capacity"], 3)
        self.assertFalse(self.browser.find("#confirm").is_displayed())
        self.assertNoConsoleErrors((f"slots/{slot['id']}/capacity", 409))

    def test_a_closed_day_is_reported_and_a_new_holiday_survives_a_reload(self):
        slot = self.slot("B", "2026-12-03", "10:00")
        booking = self.book(slot["id"], HOA)
        self.sign_in()
        self.tab("closures")
        Select(self.browser.find("#closure-service")).select_by_value("B")
        self.set_value("#closure-date", "2026-12-03")
        self.browser.type("#closure-reason", "Bảo trì hệ thống điện")
        self.browser.click("#closure-submit")
        self.browser.wait_text("#confirm", "10:00")
        self.browser.click("#confirm-ok")
        status = self.browser.wait_text("#closure-status", "Đã đóng")
        self.assertIn("Bảo trì hệ thống điện", status.text)
        self.browser.wait_text("#closure-displaced", booking["code"])
        self.browser.wait_text("#contact-list", booking["code"])
        _, slots = self.site.api("GET", "slots?service=B&from=2026-12-03&to=2026-12-03")
        self.assertTrue(slots)
        self.assertIn(f"{len(slots)} khung giờ", status.text)
        self.assertEqual({s["capacity"] for s in slots}, {0})

        self.tab("holidays")
        self.browser.wait_text("#holiday-list", "Quốc khánh")
        self.set_value("#add-date", "2026-12-24")
        self.browser.type("#add-name", "Nghỉ thử Giáng sinh")
        self.browser.click("#add-day")
        self.browser.wait_text("#notice-days", "Nghỉ thử Giáng sinh")
        self.assertTrue(self.browser.find("#notice-dirty").is_displayed())
        self.browser.click("#notice-save")
        self.browser.wait_text("#notice-status", "Đã lưu")
        self.assertFalse(self.browser.find("#notice-dirty").is_displayed())

        self.open("/manager#holidays")
        self.browser.wait(self.ready, 5, "the console after reloading")
        self.browser.visible("#panel-holidays")
        self.browser.wait_text('#notice-days tr[data-date="2026-12-24"]', "Nghỉ thử Giáng sinh")
        self.browser.wait_text('#holiday-list tr[data-date="2026-12-24"]', "Theo thông báo")
        status, notice = self.site.api("GET", "calendar/notices/2026")
        self.assertEqual(status, 200)
        self.assertIn({"date": "2026-12-24", "name": "Nghỉ thử Giáng sinh"}, notice["daysOff"])
        _, slots = self.site.api("GET", "slots?service=A&from=2026-12-24&to=2026-12-24")
        self.assertEqual(slots, [])
        self.assertNoConsoleErrors(("services/B/closures", 409))

    def test_the_report_counts_what_was_issued_and_served_in_table_chart_and_csv(self):
        manager, officer = self.site.token("manager"), self.site.token("officer")
        _, before = self.site.api("GET", f"queue/statistics?date={TODAY}", token=manager)
        for _ in range(3):
            status, _ = self.site.api("POST", "tickets", {"serviceId": "C"})
            self.assertEqual(status, 201)
        for _ in range(2):
            status, ticket = self.site.api("POST", "counters/5/call-next", token=officer)
            self.assertEqual(status, 200, ticket)
            status, _ = self.site.api("POST", f"tickets/{ticket['id']}/done", token=officer)
            self.assertEqual(status, 200)
        _, after = self.site.api("GET", f"queue/statistics?date={TODAY}", token=manager)
        issued, served = after["total"]["tickets"], after["total"]["served"]
        self.assertEqual((issued, served), (before["total"]["tickets"] + 3, before["total"]["served"] + 2))

        self.sign_in()
        self.tab("reports")  # shows the last seven days at once
        row = f'#report-days tr[data-day="{TODAY}"]'
        self.browser.wait_text(row + ' td[data-key="issued"]', str(issued))
        self.assertEqual(self.browser.text_of(row + ' td[data-key="served"]'), str(served))
        self.assertEqual(len(self.browser.finds("#report-days tbody tr")), 7)  # the last seven days by default
        self.assertEqual(self.browser.text_of('#report-days tfoot td[data-key="issued"]'), str(issued))
        bars = self.browser.script(
            "return [...document.querySelectorAll('#chart-queue rect.bar')].filter(r => r.dataset.day === arguments[0])"
            ".map(r => [r.dataset.series, Number(r.dataset.value), Number(r.getAttribute('height'))])", TODAY)
        values = {series: (value, height) for series, value, height in bars}
        self.assertEqual(values["issued"][0], issued)
        self.assertEqual(values["served"][0], served)
        self.assertGreater(values["issued"][1], values["served"][1])
        self.assertGreater(values["served"][1], 0)
        self.assertTrue(self.browser.finds("#chart-wait rect.bar"))

        # The CSV as the manager gets it: click the link, Chromium saves the file.
        folder = tempfile.mkdtemp(prefix="motcua-csv-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        self.browser.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder})
        link = self.browser.visible("#report-csv")
        name = link.get_attribute("download")
        self.assertEqual(name, f"bao-cao-hang-cho-{self.browser.find('#report-from').get_attribute('value')}-{TODAY}.csv")
        link.click()
        path = os.path.join(folder, name)
        self.browser.wait(lambda: os.path.exists(path) and os.path.getsize(path) > 0, 5, "the CSV download")
        with open(path, "rb") as downloaded:
            data = downloaded.read()
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:3], ["Ngày", "Số phát", "Đã phục vụ"])
        today = next(r for r in rows if r and r[0] == TODAY)
        self.assertEqual((int(today[1]), int(today[2])), (issued, served))
        total = next(r for r in rows if r and r[0] == "Tổng")
        self.assertEqual((int(total[1]), int(total[2])), (issued, served))

        self.browser.script("document.activeElement.blur()")
        self.browser.screenshot("manager-reports")

        # A range longer than 31 days is refused before any request.
        self.set_value("#report-from", "2026-10-01")
        self.browser.click("#report-show")
        self.browser.wait_text("#report-alert", "31 ngày")
        self.assertNoConsoleErrors()

    def test_the_live_queue_shows_a_new_ticket_within_a_second(self):
        self.sign_in()
        self.tab("queue")
        waiting = '#queue-services tr[data-service="N"] td.waiting'
        self.browser.wait_text("#queue-connection", "Cập nhật")
        before = int(self.browser.text_of(waiting))
        status, ticket = self.site.api("POST", "tickets", {"serviceId": "N"})
        self.assertEqual(status, 201)
        self.browser.wait_text(waiting, str(before + 1), timeout=1)

        # Called to the paediatric clinic: it shows as now serving and among the calls.
        status, called = self.site.api("POST", "counters/8/call-next", token=self.site.token("officer"))
        self.assertEqual(status, 200, called)
        self.browser.wait_text('#queue-counters tr[data-counter="8"]', called["number"], timeout=2)
        self.browser.wait_text("#queue-calls", called["number"])
        self.site.api("POST", "tickets", {"serviceId": "A"})
        self.site.api("POST", "tickets", {"serviceId": "A", "priority": "elderly"})
        self.browser.wait(lambda: self.browser.text_of("#queue-badge") != "", 2, "the waiting badge")
        _, stats = self.site.api("GET", f"queue/statistics?date={TODAY}", token=self.site.token("manager"))
        self.browser.wait_text('#today-figures dd[data-key="issued"]', str(stats["total"]["tickets"]), timeout=8)
        self.assertFalse(self.browser.find("#sites").is_displayed())  # a standalone node has no sites
        self.browser.script("document.activeElement.blur()")
        self.browser.screenshot("manager-queue")
        self.assertNoConsoleErrors()

    def test_the_console_speaks_english_on_request(self):
        self.sign_in("/manager?lang=en")
        self.assertEqual(self.browser.find("html").get_attribute("lang"), "en")
        self.browser.wait_text("#tab-capacity", "Slot capacity")
        self.browser.wait_text("#cap-grid thead", "booked")
        self.tab("reports")
        self.browser.wait_text("#report-days thead", "Issued")
        self.assertNoConsoleErrors()


class CentreManagerTest(ManagerPages):
    """At a provincial centre the live queue also lists the province's sites."""

    site_args = ("--role", "centre")

    def test_the_sites_panel_shows_at_a_centre(self):
        self.sign_in("/manager#queue")
        self.browser.wait_text("#sites", "Các điểm phục vụ trong tỉnh")
        status, sites = self.site.api("GET", "sites", token=self.site.token("manager"))
        self.assertEqual(status, 200)
        self.assertEqual(len(self.browser.finds("#site-list tr")), len(sites))
        errors = [e["message"] for e in self.browser.console() if e["level"] == "SEVERE"]
        self.assertEqual(errors, [], "the page logged errors")


    def test_the_last_week_of_each_site_is_reported_from_its_events(self):
        # A site pushes its morning as the sync would: two tickets, the first called after
        # six minutes and served.
        site_token = self.site.token("site")
        def event(seq, kind, ticket, number, at):
            payload = json.dumps({"ticketId": ticket, "number": number, "serviceId": "A", "day": TODAY})
            return {"id": f"e-{seq}", "seq": seq, "kind": kind, "payload": payload, "occurredAt": f"{TODAY}T{at}.000Z"}
        batch = {"site": "browser-site", "events": [
            event(1, "ticket.issued", 1, "A001", "01:00:00"), event(2, "ticket.issued", 2, "A002", "01:02:00"),
            event(3, "ticket.called", 1, "A001", "01:06:00"), event(4, "ticket.served", 1, "A001", "01:10:00"),
        ]}
        status, _ = self.site.api("POST", "sync/events", batch, token=site_token)
        self.assertEqual(status, 200)
        self.sign_in("/manager#queue")
        row = self.browser.visible(f'#site-week tr[data-site="browser-site"][data-date="{TODAY}"]')
        cells = [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")]
        self.assertEqual(cells[1:], ["2", "1", "0", "0", "6"], "issued, served, no-shows, check-ins, wait in minutes")
        self.assertTrue(self.browser.find("#site-week-empty").get_attribute("hidden"))
        self.assertNoConsoleErrors()


class CutOffSiteManagerTest(ManagerPages):
    """A site whose centre cannot be reached: its manager sees the backlog and the trouble."""

    # Nothing listens on port 9 of loopback: every push is refused at once.
    site_args = ("--role", "site", "--site", "hoi-an", "--centre", "http://127.0.0.1:9", "--site-token", "mct_unreachable")
    # Each failed push gives up after a second, so the trouble shows within the test's wait.
    site_env = {"MOTCUA_SYNC_TIMEOUTSECONDS": "1"}

    def test_the_sync_panel_shows_what_waits_to_be_sent(self):
        for _ in range(3):
            status, _ = self.site.api("POST", "tickets", {"serviceId": "A"})
            self.assertEqual(status, 201, "tickets go on while the centre is away")
        self.sign_in("/manager#queue")
        self.browser.wait_text("#sync", "Đồng bộ với trung tâm")
        status, sync = self.site.api("GET", "sync/status", token=self.site.token("manager"))
        self.assertEqual(status, 200)
        self.assertGreaterEqual(sync["pending"], 3)
        self.browser.wait(lambda: int(self.browser.text_of('#sync-figures [data-key="pending"]')) >= 3, 10,
                          "the pending count")
        self.browser.wait_text("#sync-trouble", "Chưa gửi được tới trung tâm", timeout=10)
        self.assertTrue(self.browser.find("#sites").get_attribute("hidden"), "a site has no province list")
        self.assertNoConsoleErrors()
