"""The counter console, as an officer uses it all day: sign in, choose a counter, call,
finish, pick out of order, and receive or send back the dossier prepared at the kiosk;
the hall display follows the console's calls within a second.

Each test drains the queue through the API first, so it starts with nobody waiting and no
ticket called at any counter, whatever the tests before it left.
"""

import time
import urllib.request

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from harness import DESK, TV, Browser, SiteTestCase

# A birth registration (1.001193) as a citizen prepares it at the kiosk.
APPLICANT = {
    "fullName": "Nguyễn Văn An", "idNumber": "001203012345", "phone": "0912345678",
    "address": "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội",
}
ANSWERS = {
    "requesterName": "Nguyễn Văn An", "requesterIdNumber": "001203012345",
    "requesterAddress": "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội", "relationship": "father",
    "childName": "Nguyễn Minh Khôi", "childBirthDate": "05/01/2025", "childGender": "male",
    "birthPlace": "Bệnh viện Phụ sản Hà Nội", "ethnicity": "Kinh", "motherName": "Trần Thị Bình",
    "fatherName": "Nguyễn Văn An", "birthCase": "ordinary", "authorised": "no",
}
COUNTERS = range(1, 7)  # the submission counters of the demo centre


class CounterConsoleTest(SiteTestCase):
    size = DESK

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = cls.site.token("officer")

    def setUp(self):
        super().setUp()
        self.drain()

    # ---- Helpers -----------------------------------------------------------------------

    def drain(self):
        """Every submission counter open, nobody waiting, nothing called."""
        for counter in COUNTERS:
            status, _ = self.site.api("POST", f"counters/{counter}/open", token=self.officer)
            self.assertEqual(status, 200)
            for _ in range(200):
                status, _ = self.site.api("POST", f"counters/{counter}/call-next", token=self.officer)
                if status == 204:
                    break
                self.assertEqual(status, 200)

    def take(self, service="A"):
        status, ticket = self.site.api("POST", "tickets", {"serviceId": service})
        self.assertEqual(status, 201, ticket)
        return ticket

    def ticket(self, ticket_id):
        status, ticket = self.site.ticket(ticket_id)
        self.assertEqual(status, 200)
        return ticket

    def fresh_page(self, query=""):
        """The console as a computer nobody has used: no session, no remembered counter."""
        # Cleared from a page of the site that runs no script, so no console is left asking
        # the API with a session just deleted.
        self.open("/healthz")
        self.browser.driver.delete_all_cookies()
        self.browser.script("localStorage.clear()")
        self.open("/counter" + query)

    def sign_in(self, username="canbo", password="canbo-demo"):
        self.browser.type("#username", username)
        self.browser.type("#password", password)
        self.browser.click("#sign-in button[type=submit]")

    def at_counter(self, counter_id, query="", username="canbo", password="canbo-demo"):
        self.fresh_page(query)
        self.sign_in(username, password)
        self.click(f'[data-counter="{counter_id}"]')
        self.wait_for("#desk-title", f"Quầy {counter_id}")

    # The console redraws its lists and the dossier on every change in the hall, so these
    # read the page through script (never a stale element) and retry a click that lands on
    # an element just replaced.

    def text(self, css):
        return self.browser.script(
            "const e = document.querySelector(arguments[0]); return e && e.offsetParent !== null ? e.innerText : null;", css)

    def shown(self, css):
        return self.browser.script("const e = document.querySelector(arguments[0]); return !!e && e.offsetParent !== null;", css)

    def wait_for(self, css, text, timeout=5):
        self.browser.wait(lambda: text in (self.text(css) or ""), timeout, f"{css} containing {text!r}")

    def click(self, css, timeout=5):
        for attempt in range(3):
            try:
                self.browser.click(css, timeout)
                return
            except StaleElementReferenceException:
                if attempt == 2:
                    raise

    def current_number(self):
        return self.text("#current-number")

    def wait_current(self, number, timeout=5):
        self.browser.wait(lambda: self.current_number() == number, timeout, f"#current-number to be {number}")

    def waiting_numbers(self):
        return self.browser.script(
            "return [...document.querySelectorAll('#waiting .waiting-ticket .number')].map(e => e.textContent);")

    def session_cookie(self):
        cookie = self.browser.driver.get_cookie("motcua_session")
        self.assertIsNotNone(cookie, "the browser holds no session cookie")
        return f"motcua_session={cookie['value']}"

    def prepare_dossier(self):
        """A dossier made through the kiosk's API and submitted now: its code and ticket."""
        status, draft = self.site.api("POST", "dossiers/drafts")
        self.assertEqual(status, 201, draft)
        code = draft["code"]
        steps = [
            ("procedure", {"procedureCode": "1.001193"}), ("forward", None),
            ("applicant", APPLICANT), ("forward", None),
            ("answers", {"answers": ANSWERS}), ("forward", None),
        ]
        for step, body in steps:
            status, answer = self.site.api("POST", f"dossiers/drafts/{code}/{step}", body)
            self.assertEqual(status, 200, (step, answer))
        for item in answer["checklist"]:
            if item["required"]:
                status, answer = self.site.api("POST", f"dossiers/drafts/{code}/documents", {"index": item["index"], "ticked": True})
                self.assertEqual(status, 200, answer)
        for step, body in [("forward", None), ("result-delivery", {"resultDelivery": "desk"}), ("forward", None)]:
            status, answer = self.site.api("POST", f"dossiers/drafts/{code}/{step}", body)
            self.assertEqual(status, 200, (step, answer))
        status, finished = self.site.api("POST", f"dossiers/drafts/{code}/finish", {"submission": "submit_now"})
        self.assertEqual(status, 201, finished)
        return finished

    def dossier(self, code):
        status, dossier = self.site.api("GET", f"dossiers/{code}", token=self.officer)
        self.assertEqual(status, 200, dossier)
        return dossier

    # ---- Tests ---------------------------------------------------------------------------

    def test_officer_signs_in_calls_the_next_ticket_and_finishes_it(self):
        # setup: a computer nobody used; a wrong password first
        self.fresh_page()
        self.sign_in(password="not-the-password")
        self.wait_for("#sign-in [role=alert]", "Tên đăng nhập hoặc mật khẩu không đúng.")
        self.assertTrue(self.browser.find("#choose").get_attribute("hidden") is not None)

        # act: the right password, then the counter
        self.sign_in()
        self.wait_for("#who", "Trần Văn Cán Bộ")
        self.click('[data-counter="1"]')
        self.wait_for("#desk-title", "Quầy 1")
        self.assertEqual(self.current_number(), "—")
        ticket = self.take("A")
        # check: the kiosk's ticket shows up in the waiting list by itself
        self.browser.wait(lambda: ticket["number"] in self.waiting_numbers(), 3, "the new ticket in the waiting list")

        # act: call next
        self.click("#call-next")
        # check: its number is the one being served, and the server agrees
        self.wait_current(ticket["number"])
        self.wait_for("#result", f"Đã gọi số {ticket['number']} đến Quầy 1.")
        self.assertEqual(self.ticket(ticket["id"])["status"], "called")
        self.browser.wait(lambda: ticket["number"] not in self.waiting_numbers(), 3, "the called ticket to leave the list")

        # act: done
        self.click("#done")
        # check: the counter is free again and the ticket is finished
        self.wait_current("—")
        self.wait_for("#result", f"Số {ticket['number']} đã xong.")
        self.assertEqual(self.ticket(ticket["id"])["status"], "done")
        self.assertTrue(self.browser.find("#done").get_attribute("disabled") is not None)

        # act: reload the page
        self.open("/counter")
        # check: the session and the counter are remembered
        self.wait_for("#desk-title", "Quầy 1")

        # act: sign out
        session = self.session_cookie()
        self.click("#sign-out")
        # check: back to the sign-in form, and the old session no longer works
        self.browser.wait(lambda: self.shown("#username"), 5, "the sign-in form")
        self.assertIsNone(self.browser.driver.get_cookie("motcua_session"))
        status, _ = self.site.api("GET", "session", cookie=session)
        self.assertEqual(status, 401)
        # Refusals this test provoked: the wrong password, a ticket with no dossier, the lists
        # after signing out.
        self.assertNoConsoleErrors(("session", 401), (r"tickets/\d+/dossier", 404), (r"queue/\w+", 401))

    def test_the_citizen_rates_on_the_counter_screen_without_holding_the_next_call(self):
        # setup: two citizens for counter 1, the first one called
        first, second = self.take("A"), self.take("A")
        self.at_counter(1)
        # What chromium logged on the way in (the script-less /healthz has no favicon) is not this test's.
        self.browser.console()
        self.click("#call-next")
        self.wait_current(first["number"])
        self.assertFalse(self.shown("#rating-pad"), "no rating before the ticket is done")

        # act: done
        self.click("#done")
        # check: the rating pad for that number
        self.wait_for("#rating-pad-title", f"Số {first['number']}: mời đánh giá")
        self.browser.screenshot("counter-rating-pad")

        # act: the officer calls the next citizen while the pad is still up
        self.click("#call-next")
        # check: the call went ahead and the pad stayed for the first citizen
        self.wait_current(second["number"])
        self.wait_for("#rating-pad-title", first["number"])

        # act: the citizen taps "Rất hài lòng"
        self.browser.click_text("#rating-pad [data-score]", "Rất hài lòng")
        # check: the pad goes away, the console says so, and the rating is recorded
        self.browser.wait(lambda: not self.shown("#rating-pad"), 5, "the pad to close")
        self.wait_for("#result", f"Số {first['number']} đánh giá: Rất hài lòng.")
        self.assertEqual(self.ticket(first["id"])["rating"], 4)
        self.assertEqual(self.current_number(), second["number"])

        # act: finish the second; this citizen would rather not rate
        self.click("#done")
        self.wait_for("#rating-pad-title", second["number"])
        self.click("#rating-skip")
        # check: skipped, nothing recorded
        self.browser.wait(lambda: not self.shown("#rating-pad"), 5, "the pad to close")
        self.assertIsNone(self.ticket(second["id"]).get("rating"))
        self.assertNoConsoleErrors((r"tickets/\d+/dossier", 404))

    def test_the_display_shows_a_call_from_the_console_within_a_second(self):
        # setup: the console at counter 2 and a hall TV, a ticket waiting
        self.at_counter(2)
        ticket = self.take("A")
        self.browser.wait(lambda: ticket["number"] in self.waiting_numbers(), 3, "the ticket in the waiting list")
        display = Browser(TV)
        try:
            display.open(self.site.url + "/display?hall=tang-1")
            def shown():  # read through script: the display redraws its rows on every change
                return display.script(
                    "const e = document.querySelector('#counters tr[data-counter=\"2\"] td.ticket'); return e && e.textContent;")
            display.wait(lambda: shown() == "—", 5, "counter 2 free on the display")

            # act: call next on the console
            started = time.monotonic()
            self.browser.find("#call-next").click()
            display.wait(lambda: shown() == ticket["number"], 2, "the call on the display")
            elapsed = time.monotonic() - started

            # check: within a second of the click, and the console shows it too
            self.assertLess(elapsed, 1.0, f"the display showed the call {elapsed:.2f} s after the click")
            self.wait_current(ticket["number"])
        finally:
            display.quit()

    def test_an_officer_picks_a_ticket_out_of_order(self):
        # setup: two tickets waiting, the console at counter 3
        first, second = self.take("A"), self.take("A")
        self.at_counter(3)
        self.browser.wait(lambda: self.waiting_numbers()[:2] == [first["number"], second["number"]], 3, "both tickets listed")

        # act: pick the second
        self.click(f'#waiting [data-pick="{second["id"]}"]')

        # check: the second is called here, the first still waits
        self.wait_current(second["number"])
        self.wait_for("#result", f"Đã gọi số {second['number']} (ngoài thứ tự).")
        called = self.ticket(second["id"])
        self.assertEqual((called["status"], called["counterId"]), ("called", 3))
        self.assertEqual(self.ticket(first["id"])["status"], "waiting")
        self.browser.wait(lambda: self.waiting_numbers() == [first["number"]], 3, "only the first left waiting")

        # act: F2 on the keyboard calls the next one
        ActionChains(self.browser.driver).send_keys(Keys.F2).perform()

        # check: the first is called, and calling it finished the second
        self.wait_current(first["number"])
        self.assertEqual(self.ticket(second["id"])["status"], "done")
        self.wait_for("#waiting-empty", "Không có ai đang chờ.")

    def test_an_officer_receives_the_dossier_of_the_called_ticket(self):
        # setup: a dossier prepared at the kiosk and submitted now, the console at counter 1
        finished = self.prepare_dossier()
        code, number = finished["dossier"]["code"], finished["ticket"]["number"]
        self.at_counter(1)
        self.browser.wait(lambda: number in self.waiting_numbers(), 3, "the dossier's ticket in the list")

        # act: call it
        self.click("#call-next")

        # check: the dossier opens with what the citizen entered
        self.wait_current(number)
        self.wait_for("#dossier-code", code)
        self.wait_for("#dossier-procedure", "Thủ tục đăng ký khai sinh (1.001193)")
        self.wait_for("#dossier-status", "Đã chuẩn bị, chờ nộp tại quầy")
        dossier_text = self.browser.find("#dossier").text
        for shown in ["Nguyễn Văn An", "001203012345", "0912345678", "Họ, chữ đệm, tên của trẻ", "Nguyễn Minh Khôi",
                      "05/01/2025", "Cha", "Trẻ có Giấy chứng sinh hoặc người làm chứng việc sinh", "Tờ khai đăng ký khai sinh theo mẫu"]:
            self.assertIn(shown, dossier_text)
        documents = self.dossier(code)["documents"]
        self.assertEqual(len(self.browser.finds("#dossier table.documents tbody tr")), len(documents))
        self.browser.screenshot("counter-console-dossier")

        # act: receive it
        self.click("#receive")

        # check: received, with its register number and return date, on the page and on the server
        self.wait_for("#result", f"Đã tiếp nhận hồ sơ {code}")
        received = self.dossier(code)
        self.wait_for("#dossier-status", received["status"]["statusText"]["vi"])
        self.assertEqual(received["status"]["status"], "received")
        self.assertEqual(received["officer"], "Trần Văn Cán Bộ")
        return_date = "/".join(reversed(received["status"]["expectedReturnDate"].split("-")))
        self.wait_for("#result", f"Đã tiếp nhận hồ sơ {code}, số vào sổ {received['registerNumber']}, hẹn trả ngày {return_date}.")
        self.assertEqual(self.browser.finds("#receive"), [], "a received dossier is decided once")
        self.wait_for("#dossier-form", "In giấy tiếp nhận và hẹn trả kết quả")
        link = self.browser.find("#dossier-form")
        self.assertEqual(link.get_attribute("target"), "_blank")

        # check: the form the link opens is a PDF, with the officer's session
        request = urllib.request.Request(link.get_attribute("href"), headers={"Cookie": self.session_cookie()})
        with urllib.request.urlopen(request, timeout=10) as response:
            self.assertEqual(response.status, 200)
            self.assertEqual(response.headers.get_content_type(), "application/pdf")
            self.assertEqual(response.read(5), b"%PDF-")
        self.assertNoConsoleErrors((r"tickets/\d+/dossier", 404))

    def test_an_officer_asks_for_a_supplement_then_refuses(self):
        # setup: a dossier's ticket called at counter 1
        finished = self.prepare_dossier()
        code, number = finished["dossier"]["code"], finished["ticket"]["number"]
        self.at_counter(1)
        self.browser.wait(lambda: number in self.waiting_numbers(), 3, "the dossier's ticket in the list")
        self.click("#call-next")
        self.wait_for("#dossier-code", code)
        # the officer checked the first document only
        self.click("#doc-0")

        # act: ask for a supplement without a reason
        self.click("#supplement")
        self.click("#supplement-form button[type=submit]")
        # check: refused in Vietnamese, nothing changed
        self.browser.wait(lambda: (self.text("#supplement-form [role=alert]") or "").strip(), 5, "the refusal under the form")
        self.assertEqual(self.dossier(code)["status"]["status"], "prepared")

        # act: give the reason and a note
        self.browser.type("#supplement-reason", "Giấy chứng sinh bị mờ, không đọc được.")
        self.browser.type("#supp-note-1", "Xin bản rõ hơn")
        self.click("#supplement-form button[type=submit]")

        # check: supplement requested, for the documents not checked, with the note
        self.wait_for("#result", f"Đã yêu cầu bổ sung hồ sơ {code}.")
        asked = self.dossier(code)
        self.wait_for("#dossier-status", asked["status"]["statusText"]["vi"])
        self.assertEqual(asked["status"]["status"], "supplement_requested")
        self.assertEqual(asked["reason"], "Giấy chứng sinh bị mờ, không đọc được.")
        names = [item["name"] for item in asked["supplementDocuments"]]
        self.assertEqual(names, [doc["name"] for doc in asked["documents"][1:]])
        self.assertEqual(asked["supplementDocuments"][0]["note"], "Xin bản rõ hơn")
        self.wait_for("#dossier-form", "In phiếu yêu cầu bổ sung")

        # act: refuse it after all
        self.click("#refuse")
        self.browser.type("#refuse-reason", "Hồ sơ không thuộc thẩm quyền giải quyết.")
        self.click("#refuse-form button[type=submit]")

        # check: refused, and the decision buttons are gone
        self.wait_for("#dossier-form", "In phiếu từ chối tiếp nhận")
        refused = self.dossier(code)
        self.assertEqual((refused["status"]["status"], refused["reason"]), ("refused", "Hồ sơ không thuộc thẩm quyền giải quyết."))
        self.assertEqual(self.browser.finds("#receive"), [])

    def test_a_manager_closes_the_counter_and_sees_the_refusal_in_english(self):
        # setup: a manager at counter 4, in English, one ticket waiting for it
        ticket = self.take("B")
        self.at_counter(4, query="?lang=en", username="quanly", password="quanly-demo")
        self.wait_for("#counter-state", "Open")

        # act: close the counter, then try to call
        self.click("#toggle-open")
        self.wait_for("#counter-state", "Closed")
        self.click("#call-next")

        # check: the server's refusal in English, the counter closed, the ticket still waiting
        self.wait_for("#problem", "The counter is closed; open it before calling.")
        status, counters = self.site.api("GET", "counters")
        self.assertFalse(next(c for c in counters if c["id"] == 4)["isOpen"])
        self.assertEqual(self.ticket(ticket["id"])["status"], "waiting")

        # act: open it again and call
        self.click("#toggle-open")
        self.wait_for("#counter-state", "Open")
        self.click("#call-next")

        # check: called
        self.wait_current(ticket["number"])
        self.wait_for("#result", f"Number {ticket['number']} called to Quầy 4.")

    def test_screenshot_of_a_counter_at_work(self):
        # setup: a few citizens waiting, one with priority, at counter 1
        tickets = [self.take("A") for _ in range(3)]
        status, elderly = self.site.api("POST", "tickets", {"serviceId": "A", "priority": "elderly"})
        self.assertEqual(status, 201, elderly)
        self.at_counter(1)
        self.browser.wait(lambda: len(self.waiting_numbers()) == 4, 3, "four tickets listed")

        # act: call the next (the priority ticket goes first)
        self.click("#call-next")

        # check: a called number, three waiting, and the picture
        self.wait_current(elderly["number"])
        self.browser.wait(lambda: self.waiting_numbers() == [t["number"] for t in tickets], 3, "three left waiting")
        self.wait_for("#dossier", f"Số {elderly['number']} không kèm hồ sơ chuẩn bị trước.")
        self.assertGreaterEqual(self.browser.find("#current-number").size["height"], 90)
        self.browser.screenshot("counter-console")
