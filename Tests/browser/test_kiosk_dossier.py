"""The kiosk's dossier wizard (assets/kiosk-dossier.js) in a real chromium at the portrait
kiosk size, against a real demo site: a citizen finds a procedure typing without accents,
enters who they are (typed, or the chip ID card's QR through a keyboard-wedge scanner),
fills the e-form in Vietnamese, ticks the documents, checks, and submits now or books; a
refusal shows next to its field; a draft resumes by its code; reset() leaves nothing
personal on the page. What the page did is checked through the API as well."""

import datetime
import re
import unittest

from selenium.webdriver.common.keys import Keys

from harness import DEMO_TIME, KIOSK, SiteTestCase

# A chip ID card's QR as a scanner types it: ID|old ID|name|birth ddMMyyyy|gender|address|issue date.
CARD_ID = "001090012345"
CARD_NAME = "Nguyễn Văn An"
CARD = f"{CARD_ID}|012345678|{CARD_NAME}|15031990|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|01012021"



def site_today():
    """The demo site's day: the harness runs the server at a fixed hour (DEMO_TIME)."""
    return datetime.date.fromisoformat(DEMO_TIME[:10])


class KioskDossierTest(SiteTestCase):
    size = KIOSK

    # ---- steps a citizen takes ----

    def start(self, path="/kiosk"):
        """The kiosk page, and "Chuẩn bị hồ sơ" touched on its start screen."""
        b = self.browser
        self.open(path)
        b.wait(lambda: b.script("return document.body.dataset.ready") == "true")
        b.click("#start [data-go=dossier]")
        b.visible("#kd-search")

    def type(self, css, text):
        """Types as a citizen would, then touches the on-screen keyboard's "Xong" to put it away."""
        b = self.browser
        b.type(css, text)
        # The keyboard may be on its way out already (Enter moved the wizard on): the touch
        # goes to it through script, which a button being redrawn cannot refuse.
        for done in b.finds("#keyboard [data-key=done]"):
            if done.is_displayed():
                b.script("arguments[0].click()", done)
        b.wait(lambda: not b.find("#keyboard").is_displayed(), 5, "the keyboard put away")

    def value(self, css):
        """An input's value, read in one go (the screen may be redrawn meanwhile)."""
        return self.browser.script("const i = document.querySelector(arguments[0]); return i && i.value", css)

    def current_step(self):
        return self.browser.script(
            "const li = document.querySelector('#dossier .steps [aria-current=step]'); return li && li.textContent;")

    def wait_step(self, name, timeout=5):
        self.browser.wait(lambda: self.current_step() == name, timeout, f"the step {name!r}")

    def choose_procedure(self, query, code):
        b = self.browser
        self.type("#kd-search", query)
        # Results are best first: the procedure sought is the first button.
        b.wait(lambda: b.script(
            "const first = document.querySelector('#kd-results [data-procedure]');"
            "return first && first.dataset.procedure;") == code, 5, f"{code} first for {query!r}")
        b.click(f"#kd-results [data-procedure='{code}']")
        b.click("#kd-agree")  # the personal-data notice comes before any personal data
        b.visible("#kd-scan")
        self.wait_step("Người nộp")

    def fill_applicant(self, name, id_number, phone, address=None):
        b = self.browser
        self.type("#kd-applicant-fullName", name)
        self.type("#kd-applicant-idNumber", id_number)
        self.type("#kd-applicant-phone", phone)
        if address is not None:
            self.type("#kd-applicant-address", address)

    def pick(self, field, value):
        b = self.browser
        b.click(f"[data-field='answers.{field}'] [role=radio][data-value='{value}']")
        b.wait(lambda: b.find(f"[data-field='answers.{field}'] [data-value='{value}']").get_attribute("aria-checked") == "true")

    def fill_birth_form(self, child, birth_date, leave_out=()):
        """The birth registration's e-form (1.001193), in Vietnamese."""
        b = self.browser
        answers = {"childName": child, "childBirthDate": birth_date, "birthPlace": "Bệnh viện Phụ sản Hà Nội",
                   "ethnicity": "Kinh", "motherName": "Trần Thị Hương"}
        for field, text in answers.items():
            if field not in leave_out:
                self.type(f"#kd-answer-{field}", text)
        for field, value in {"relationship": "father", "childGender": "male", "birthCase": "ordinary", "authorised": "no"}.items():
            if field not in leave_out:
                self.pick(field, value)

    def tick_required(self):
        b = self.browser
        required = b.script(
            "return [...document.querySelectorAll('#dossier .kd-checklist li')]"
            ".filter(li => li.querySelector('.kd-tag:not(.optional)'))"
            ".map(li => li.querySelector('[data-document]').dataset.document);")
        self.assertTrue(required, "the checklist lists required documents")
        for index in required:
            b.click(f"[data-document='{index}']")
            b.wait(lambda: b.find(f"[data-document='{index}']").get_attribute("aria-checked") == "true",
                   5, f"document {index} ticked")
        return required

    def draft_code(self):
        return self.browser.text_of("#kd-draft-code")

    def child_birth_date(self):
        return (site_today() - datetime.timedelta(days=10)).strftime("%d/%m/%Y")

    def home_and_dossier(self):
        """The kiosk's own "Về màn hình chính", then "Chuẩn bị hồ sơ" again."""
        b = self.browser
        b.click(".bottombar [data-go=start]")
        b.visible("#start")
        b.click("#start [data-go=dossier]")
        b.visible("#kd-search")

    def no_horizontal_scroll(self):
        width = self.browser.script("return [document.documentElement.scrollWidth, window.innerWidth]")
        self.assertLessEqual(width[0], width[1], "the screen scrolls sideways")

    # ---- tests ----

    def test_a_citizen_prepares_a_birth_registration_and_submits_now(self):
        b = self.browser
        self.start()
        self.choose_procedure("dang ky khai sinh", "1.001193")
        name = "Phạm Thị Thu Hường"
        self.fill_applicant(name, "001190012345", "0938123456", "Số 12 phố Hàng Bạc, Hoàn Kiếm, Hà Nội")
        b.click("#kd-next")
        self.wait_step("Tờ khai")
        code = self.draft_code()
        self.assertRegex(code, r"^[0-9A-Z]{4}-[0-9A-Z]{4}$")
        # The requester's questions come filled from the applicant typed before.
        self.assertEqual(self.value("#kd-answer-requesterName"), name)
        # A question asked only in some cases appears and goes with its answer.
        self.assertFalse(b.find("[data-field='answers.authoriserName']").is_displayed())
        self.pick("authorised", "yes")
        b.visible("#kd-answer-authoriserName")
        birth = self.child_birth_date()
        self.fill_birth_form("Phạm Minh Khôi", birth)
        self.assertFalse(b.find("[data-field='answers.authoriserName']").is_displayed())
        self.assertEqual(self.value("#kd-answer-childBirthDate"), birth)
        b.click("#kd-next")
        self.wait_step("Giấy tờ")
        self.tick_required()
        b.wait_text("#kd-doc-summary", "Đã có")
        b.click("#kd-next")
        self.wait_step("Kiểm tra")
        review = b.text_of("#dossier")
        for shown in (name, "Phạm Minh Khôi", birth, "Bệnh viện Phụ sản Hà Nội", "Cha", "Thủ tục đăng ký khai sinh"):
            self.assertIn(shown, review)
        b.click("[data-field=resultDelivery] [role=radio][data-value=post]")
        b.wait(lambda: b.find("[data-field=resultDelivery] [data-value=post]").get_attribute("aria-checked") == "true")
        b.click("#kd-next")
        self.wait_step("Nộp hồ sơ")
        self.assertEqual(b.text_of("#kd-finish-code"), code)
        b.click("#kd-submit-now")
        b.click("[data-priority='']")  # no priority
        number = b.wait(lambda: (lambda n: n if re.fullmatch(r"A\d{3}", n or "") else None)(
            b.script("const n = document.getElementById('ticket-number'); return n && n.offsetParent ? n.textContent.trim() : null")),
            10, "the ticket number on screen")
        # The dossier exists, found by the draft code the citizen was shown.
        status, dossier = self.site.api("GET", f"dossiers/{code}/status")
        self.assertEqual(status, 200, dossier)
        self.assertEqual(dossier["procedureCode"], "1.001193")
        self.assertEqual(dossier["status"], "prepared")
        self.assertEqual(dossier["lookupCode"], code)
        # The number on screen is the dossier's ticket, as the counter will see it.
        status, full = self.site.api("GET", f"dossiers/{code}", token=self.site.token("manager"))
        self.assertEqual(status, 200, full)
        self.assertEqual(full["applicant"]["fullName"], name)
        self.assertEqual(full["answers"]["childName"], "Phạm Minh Khôi")
        self.assertEqual(full["resultDelivery"], "post")
        status, ticket = self.site.ticket(full["ticketId"])
        self.assertEqual(status, 200, ticket)
        self.assertEqual(ticket["number"], number)
        # Nothing of the citizen stays in the wizard once it handed the ticket over.
        self.assertEqual(b.script("return document.getElementById('dossier').children.length"), 0)
        self.assertNotIn(name, b.script("return document.body.innerHTML"))
        # The kiosk's Back from the ticket finds a fresh search, not a blank screen.
        b.click("#go-back")
        b.visible("#kd-search")
        self.assertNotIn(name, b.script("return document.body.innerHTML"))
        self.assertNoConsoleErrors()

    def test_a_missing_required_answer_is_refused_next_to_its_field(self):
        b = self.browser
        self.start()
        self.choose_procedure("khai sinh", "1.001193")
        # The phone left out: refused at the phone, the draft stays at the applicant step.
        self.fill_applicant("Lê Văn Tám", "001090012345", "")
        b.click("#kd-next")
        message = b.text_of("[data-error-for='applicant.phone']")
        self.assertIn("số điện thoại", message)
        self.assertEqual(b.find("#kd-applicant-phone").get_attribute("aria-invalid"), "true")
        self.assertFalse(b.find("[data-error-for='applicant.fullName']").is_displayed())
        self.assertEqual(self.current_step(), "Người nộp")
        self.type("#kd-applicant-phone", "0987654321")
        b.click("#kd-next")
        self.wait_step("Tờ khai")
        # The ethnicity left out: its message under it, the others quiet.
        self.type("#kd-answer-requesterAddress", "Thôn Đông, xã Yên Phụ, Bắc Ninh")
        self.fill_birth_form("Lê Thị Mai", self.child_birth_date(), leave_out=("ethnicity",))
        b.click("#kd-next")
        message = b.text_of("[data-error-for='answers.ethnicity']")
        self.assertIn("Dân tộc", message)
        self.assertFalse(b.find("[data-error-for='answers.childName']").is_displayed())
        self.assertFalse(b.find("#dossier [data-general]").is_displayed())
        self.assertEqual(self.current_step(), "Tờ khai")
        # A date the server cannot read is refused at the date.
        self.type("#kd-answer-ethnicity", "Tày")
        self.type("#kd-answer-childBirthDate", "31/02/2020")
        b.click("#kd-next")
        self.assertTrue(b.text_of("[data-error-for='answers.childBirthDate']"))
        self.type("#kd-answer-childBirthDate", self.child_birth_date())
        b.click("#kd-next")
        self.wait_step("Giấy tờ")
        status, draft = self.site.api("GET", f"dossiers/drafts/{self.draft_code()}")
        self.assertEqual(draft["answers"]["ethnicity"], "Tày")
        self.assertNoConsoleErrors((r"dossiers/drafts/[\w-]+/\w+", 422))

    def test_a_draft_resumes_by_its_code(self):
        b = self.browser
        self.start()
        self.choose_procedure("xac nhan tinh trang hon nhan", "1.004873")
        self.fill_applicant("Đỗ Thị Lan", "001190012346", "0901234567", "Phường Ba Đình, Hà Nội")
        b.click("#kd-next")
        self.wait_step("Tờ khai")
        code = self.draft_code()
        self.type("#kd-answer-purpose", "Để đăng ký kết hôn")
        b.wait(lambda: self.site.api("GET", f"dossiers/drafts/{code}")[1]["answers"].get("purpose"), 5, "the answer saved")
        self.home_and_dossier()
        self.assertNotIn("Đỗ Thị Lan", b.script("return document.body.innerHTML"))
        # Later, the same kiosk: "continue a draft", the code typed in lower case without its dash.
        b.click("#kd-resume-open")
        self.type("#kd-resume-code", code.replace("-", "").lower() + Keys.ENTER)
        self.wait_step("Tờ khai")
        self.assertEqual(self.draft_code(), code)
        self.assertIn("mở lại", b.text_of("#dossier [role=status]"))
        # What was entered is there; the typed answer was saved as it was typed.
        self.assertEqual(self.value("#kd-answer-requesterName"), "Đỗ Thị Lan")
        b.wait(lambda: self.value("#kd-answer-purpose") == "Để đăng ký kết hôn", 5, "the purpose kept")
        # And it goes on.
        self.type("#kd-answer-requesterBirthDate", "20/05/1990")
        self.pick("requesterGender", "female")
        self.pick("maritalHistory", "never")
        self.pick("reissue", "no")
        self.pick("authorised", "no")
        b.click("#kd-next")
        self.wait_step("Giấy tờ")
        # An unknown code is refused on the resume screen.
        self.home_and_dossier()
        b.click("#kd-resume-open")
        self.type("#kd-resume-code", "ZZZZ-ZZZZ" + Keys.ENTER)
        self.assertTrue(b.text_of("[data-error-for=code], #dossier [data-general]"))
        self.assertNoConsoleErrors(("dossiers/drafts/ZZZZ-ZZZZ", 404))

    def test_reset_leaves_nothing_personal_on_the_page(self):
        b = self.browser
        self.start()
        self.choose_procedure("khai sinh", "1.001193")
        # The scanner types the card's QR and Enter into the focused scan box.
        self.assertEqual(b.script("return document.activeElement.id"), "kd-scan")
        b.find("#kd-scan").send_keys(CARD + Keys.ENTER)
        b.wait(lambda: self.value("#kd-applicant-fullName") == CARD_NAME, 5, "the card read")
        self.assertEqual(self.value("#kd-applicant-idNumber"), CARD_ID)
        self.type("#kd-applicant-phone", "0938123456")
        b.click("#kd-next")
        self.wait_step("Tờ khai")
        # Filled from the card, and marked so.
        self.assertEqual(self.value("#kd-answer-requesterName"), CARD_NAME)
        self.assertIn("thẻ căn cước", b.text_of("[data-field='answers.requesterName'] .kd-auto"))
        self.type("#kd-answer-childName", "Nguyễn Văn Bình")
        b.script("KioskDossier.reset()")
        html = b.script("return document.body.innerHTML")
        for personal in (CARD_NAME, CARD_ID, "Tràng Tiền", "Nguyễn Văn Bình", "0938123456"):
            self.assertNotIn(personal, html)
        values = b.script("return [...document.querySelectorAll('input, textarea')].map(i => i.value).filter(v => v)")
        self.assertEqual(values, [])
        self.assertEqual(b.script("return document.getElementById('dossier').children.length"), 0)
        # A save or answer still on its way does not bring anything back.
        b.script("return new Promise(r => setTimeout(r, 2000))")
        self.assertNotIn(CARD_NAME, b.script("return document.body.innerHTML"))
        self.assertNoConsoleErrors()

    def test_a_citizen_without_every_document_books_a_slot(self):
        b = self.browser
        self.start("/kiosk?kiosk=kiosk-1")  # a kiosk with a printer (not connected here)
        self.choose_procedure("chung thuc chu ky", "2.000884")
        self.fill_applicant("Vũ Quốc Huy", "001090012347", "0934567890")
        b.click("#kd-next")
        self.wait_step("Tờ khai")
        self.type("#kd-answer-documentTitle", "Hợp đồng thuê nhà")
        self.pick("foreignLanguage", "no")
        b.click("#kd-next")
        self.wait_step("Giấy tờ")
        b.click("#kd-next")  # nothing ticked
        self.wait_step("Kiểm tra")
        b.click("#kd-next")
        self.wait_step("Nộp hồ sơ")
        code = b.text_of("#kd-finish-code")
        # The checklist slip is sent to the printer; a printer that does not answer is only noted.
        b.wait_text("#kd-print-state", code, 15)
        # The counter cannot take it today without the required documents: booking is offered instead.
        self.assertIn("Còn thiếu giấy tờ bắt buộc", b.text_of(".kd-missing"))
        self.assertFalse(b.find("#kd-submit-now").is_enabled())
        self.assertIn("primary", b.find("#kd-book").get_attribute("class"))
        status, refused = self.site.api("POST", f"dossiers/drafts/{code}/finish", {"submission": "submit_now"})
        self.assertEqual((status, refused["error"]["code"]), (422, "document_missing"))
        b.click("#kd-book")
        b.click("#kd-days [data-day]")
        b.click("#kd-times [data-slot]")
        b.click("#kd-book-confirm")
        booking = b.wait(lambda: (b.find("#booking-code").text.strip() if b.find("#booking-code").is_displayed() else None),
                         10, "the booking on screen")
        status, found = self.site.api("GET", f"bookings/{booking}")
        self.assertEqual(status, 200, found)
        self.assertEqual(found["status"], "booked")
        status, dossier = self.site.api("GET", f"dossiers/{code}/status")
        self.assertEqual(status, 200, dossier)
        self.assertEqual(dossier["procedureCode"], "2.000884")
        self.assertNoConsoleErrors()

    def test_screens_fit_the_portrait_kiosk(self):
        b = self.browser
        self.start()
        self.type("#kd-search", "khai sinh")
        b.wait(lambda: b.script("const f = document.querySelector('#kd-results [data-procedure]'); return f && f.dataset.procedure")
               == "1.001193", 5, "the search's results")
        self.no_horizontal_scroll()
        b.screenshot("kiosk-dossier-procedure")
        b.click("#kd-results [data-procedure='1.001193']")
        b.click("#kd-agree")
        b.find("#kd-scan").send_keys(CARD + Keys.ENTER)
        b.wait(lambda: self.value("#kd-applicant-fullName") == CARD_NAME, 5, "the card read")
        self.type("#kd-applicant-phone", "0938123456")
        b.click("#kd-next")
        self.wait_step("Tờ khai")
        self.fill_birth_form("Nguyễn Minh Anh", self.child_birth_date())
        b.script("window.scrollTo(0, 0)")
        self.no_horizontal_scroll()
        b.screenshot("kiosk-dossier-form")
        b.click("#kd-next")
        self.wait_step("Giấy tờ")
        self.tick_required()
        b.click("#kd-next")
        self.wait_step("Kiểm tra")
        self.no_horizontal_scroll()
        # Every button of the wizard is big enough for a finger.
        small = b.script(
            "return [...document.querySelectorAll('#dossier button')].filter(x => x.offsetParent)"
            ".map(x => x.getBoundingClientRect().height).filter(h => h < 60)")
        self.assertEqual(small, [])
        b.screenshot("kiosk-dossier-review")
        self.assertNoConsoleErrors()


if __name__ == "__main__":
    unittest.main()
