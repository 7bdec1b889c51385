"""The kiosk as a citizen uses it: take a number, book a slot and cancel it, check in by
typing a booking's code, look things up, type a Vietnamese name on the on-screen keyboard,
and walk away (the idle timer forgets them)."""

import re
import time
import urllib.request

from harness import KIOSK, SiteTestCase

CITIZEN = {"fullName": "Trần Thị Bích Ngọc", "idNumber": "001099012345", "phone": "0912345678"}


def citizen(n):
    """Another citizen per test: one may hold only so many bookings."""
    return dict(CITIZEN, idNumber=f"0010990123{n:02d}", phone=f"09123456{n:02d}")


def booking_is_unavailable_but_numbers_work(test):
    """From the start screen: booking says plainly it cannot be done now; a number can."""
    test.browser.click('[data-go="book"]')
    test.browser.click('#book-services [data-service="A"]')
    test.browser.wait_text("#book-unavailable", "Tạm thời không đặt được lịch hẹn")
    test.browser.click('.bottombar [data-go="start"]')
    test.browser.click('[data-go="take-number"]')
    test.browser.click('#ticket-services [data-service="A"]')
    test.browser.click('[data-priority=""]')
    test.assertTrue(test.browser.text_of("#ticket-number").startswith("A"))


class KioskTest(SiteTestCase):
    size = KIOSK

    def start(self, query="?kiosk=kiosk-1"):
        self.open("/kiosk" + query)
        self.browser.wait(lambda: self.browser.script("return document.body.dataset.ready") == "true")

    def ticket_id(self):
        src = self.browser.find("#ticket-qr").get_attribute("src")
        return int(re.search(r"/tickets/(\d+)/qr.svg", src).group(1))

    def today_slots(self, service):
        status, slots = self.site.api("GET", f"slots?service={service}&from=2026-12-01&to=2026-12-01")
        self.assertEqual(status, 200)
        return slots

    def reach_booking_form(self):
        """Service A, its first free day and time, the personal-data notice agreed."""
        self.browser.click('[data-go="book"]')
        self.browser.click('#book-services [data-service="A"]')
        self.browser.click("#book-days button")
        self.browser.click("#book-times button")
        self.browser.click("#book-notice-agree")

    def test_a_citizen_takes_a_number_and_sees_it_with_its_qr_when_the_printer_fails(self):
        self.start()
        self.browser.click('[data-go="take-number"]')
        self.browser.click('#ticket-services [data-service="B"]')
        self.browser.click('[data-priority="elderly"]')

        number = self.browser.text_of("#ticket-number")
        status, ticket = self.site.ticket(self.ticket_id())
        self.assertEqual(status, 200)
        self.assertEqual(number, ticket["number"])
        self.assertEqual(ticket["priority"], "elderly")
        self.assertTrue(number.startswith("B"))
        # The demo's kiosk printer is not there: the paper fails, the screen keeps number and QR.
        self.browser.wait_text("#print-state", "Máy in đang gặp sự cố", timeout=15)
        self.assertTrue(self.browser.script("const i = document.getElementById('ticket-qr'); return i.complete && i.naturalWidth > 0"))
        self.browser.screenshot("kiosk-ticket")
        self.assertNoConsoleErrors()

    def test_a_citizen_books_a_slot_and_cancels_it(self):
        self.start()
        self.browser.click('[data-go="book"]')
        self.browser.click('#book-services [data-service="K"]')
        # Tomorrow: a booking may be cancelled until an hour before it starts.
        self.browser.visible("#book-days button")
        self.browser.finds("#book-days button")[1].click()
        slot_button = self.browser.visible("#book-times button")
        slot_id = int(slot_button.get_attribute("data-slot"))
        slot_button.click()
        self.browser.wait_text("#book-notice", "số định danh cá nhân")
        self.browser.screenshot("kiosk-personal-data-notice")
        self.browser.click("#book-notice-agree")
        self.browser.type("#booking-name", CITIZEN["fullName"])
        self.browser.type("#booking-id", CITIZEN["idNumber"])
        self.browser.type("#booking-phone", CITIZEN["phone"])
        self.browser.screenshot("kiosk-booking-form")
        self.browser.click('#booking-form button[type="submit"]')

        code = self.browser.text_of("#booking-code")
        status, booking = self.site.api("GET", f"bookings/{code}")
        self.assertEqual((status, booking["status"], booking["slotId"]), (200, "booked", slot_id))
        self.assertEqual(booking["citizen"]["fullName"], CITIZEN["fullName"])
        self.browser.screenshot("kiosk-booking")

        self.browser.click("#booking-cancel")
        self.browser.click("#booking-cancel-yes")
        self.browser.wait_text("#lookup-result", code)
        _, booking = self.site.api("GET", f"bookings/{code}")
        self.assertEqual(booking["status"], "cancelled")
        _, fortnight = self.site.api("GET", "slots?service=K&from=2026-12-01&to=2026-12-14")
        self.assertEqual(next(s for s in fortnight if s["id"] == slot_id)["booked"], 0, "the place is free again")

    def test_a_wrong_id_number_is_refused_with_a_message_naming_it(self):
        self.start()
        self.reach_booking_form()
        self.browser.type("#booking-name", CITIZEN["fullName"])
        self.browser.type("#booking-id", "12345")
        self.browser.type("#booking-phone", CITIZEN["phone"])
        self.browser.click('#booking-form button[type="submit"]')

        message = self.browser.text_of("#booking-form [role=alert]")
        self.assertIn("định danh", message)
        self.assertEqual(self.browser.script("return document.activeElement.id"), "booking-id")

    def test_a_citizen_checks_in_a_booking_by_typing_its_code(self):
        # A clinic slot later today: an early check-in still gets its ticket.
        slot = self.today_slots("K")[-1]
        status, booking = self.site.api("POST", "bookings", {"slotId": slot["id"], "citizen": citizen(2)})
        self.assertEqual(status, 201)
        self.start()
        self.browser.click('[data-go="check-in"]')
        # Typed on the on-screen keyboard's code layout: capitals and digits, no Telex.
        self.browser.click("#check-in-code")
        for key in booking["code"]:
            self.browser.click(f'#keyboard [data-key="{key}"]')
        self.assertEqual(self.browser.find("#check-in-code").get_attribute("value"), booking["code"])
        self.browser.click('#check-in-form button[type="submit"]')

        number = self.browser.text_of("#ticket-number")
        self.assertTrue(number.startswith("K"))
        _, after = self.site.api("GET", f"bookings/{booking['code']}")
        self.assertEqual(after["status"], "checked_in")
        self.assertEqual(self.site.ticket(self.ticket_id())[1]["bookingCode"], booking["code"])

    def test_an_unknown_booking_code_is_refused_on_screen(self):
        self.start()
        self.browser.click('[data-go="check-in"]')
        self.browser.type("#check-in-code", "ZZZZ-ZZZZ\n")
        self.assertTrue(self.browser.text_of("#check-in-form [role=alert]"))
        self.assertFalse(self.browser.find("#ticket").is_displayed())

    def test_booking_says_plainly_when_the_calendar_is_out_of_reach_and_numbers_still_work(self):
        self.start()
        # The network to the calendar drops; the rest of the API stays up.
        self.browser.driver.execute_cdp_cmd("Network.enable", {})
        self.browser.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/api/v1/slots*"]})
        try:
            booking_is_unavailable_but_numbers_work(self)
        finally:
            self.browser.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})

    def test_the_on_screen_keyboard_types_vietnamese_by_telex(self):
        self.start()
        self.reach_booking_form()
        self.browser.click("#booking-name")
        self.browser.visible("#keyboard")
        # A name field capitalises each word by itself.
        for key in "nguyeenx" + " " + "vawn" + " " + "ddawngj":
            if key == " ":
                self.browser.click('#keyboard [data-key=" "]')
            else:
                self.browser.click(f'#keyboard [data-key="{key}"]')
        self.browser.screenshot("kiosk-keyboard")

        self.assertEqual(self.browser.find("#booking-name").get_attribute("value"), "Nguyễn Văn Đặng")
        self.assertEqual(
            self.browser.script("return Telex.type('Traanf Thij Hoaf Truwowngf Quys Giuwx Nguyeenx')"),
            "Trần Thị Hòa Trường Quý Giữ Nguyễn",
        )

    def test_lookup_finds_a_booking_by_code(self):
        slot = self.today_slots("A")[-1]
        _, booking = self.site.api("POST", "bookings", {"slotId": slot["id"], "citizen": citizen(3)})
        self.start()
        self.browser.click('[data-go="lookup"]')
        self.browser.type("#lookup-code", booking["code"] + "\n")
        self.assertEqual(self.browser.text_of("#booking-code"), booking["code"])
        # Hours before it starts, a booking found here may still be cancelled.
        self.assertTrue(self.browser.find("#booking-cancel").is_displayed())

    def test_a_citizen_scans_the_ticket_follows_it_and_rates_the_service_once(self):
        officer = self.site.token("officer")
        self.start()
        self.browser.click('[data-go="take-number"]')
        self.browser.click('#ticket-services [data-service="C"]')
        self.browser.click('[data-priority=""]')
        ticket_id = self.ticket_id()
        _, ticket = self.site.ticket(ticket_id)

        # Scanned while waiting: where it stands, nothing to rate yet.
        self.browser.click('.bottombar [data-go="start"]')
        self.browser.click('[data-go="ticket-scan"]')
        self.assertEqual(self.browser.script("return document.activeElement.id"), "ticket-scan-code", "focus for the scanner")
        self.browser.type("#ticket-scan-code", ticket["qr"] + "\n", clear=False)
        self.browser.wait_text("#ticket-status-text", "Đang chờ đến lượt.")
        self.assertEqual(self.browser.text_of("#ticket-status-number"), ticket["number"])
        self.assertFalse(self.browser.find("#rating").is_displayed())

        # An officer calls this very ticket (out of order: others may wait) and finishes it.
        self.assertEqual(self.site.api("POST", "counters/5/open", token=officer)[0], 200)
        self.assertEqual(self.site.api("POST", "counters/5/pick", {"ticketId": ticket_id}, token=officer)[0], 200)
        self.browser.click('#ticket-status [data-go="start"]')
        self.browser.click('[data-go="ticket-scan"]')
        self.browser.type("#ticket-scan-code", ticket["qr"] + "\n", clear=False)
        self.browser.wait_text("#ticket-status-text", "Mời đến Quầy 5.")
        self.assertEqual(self.site.api("POST", f"tickets/{ticket_id}/done", token=officer)[0], 200)

        # Scanned once served, at the check-in screen's input as a wedge scanner types it.
        self.browser.click('#ticket-status [data-go="start"]')
        self.browser.click('[data-go="check-in"]')
        self.browser.type("#check-in-code", ticket["qr"] + "\n", clear=False)
        self.browser.wait_text("#ticket-status-text", "Đã giải quyết xong.")
        self.browser.visible("#rating")
        self.browser.screenshot("kiosk-ticket-rating")
        self.browser.click_text("#rating [data-score]", "Rất hài lòng")
        self.browser.wait_text("#ticket-status-text", "Cảm ơn quý khách đã đánh giá!")
        self.browser.screenshot("kiosk-ticket-rated")
        self.assertFalse(self.browser.find("#rating").is_displayed())
        self.assertEqual(self.site.ticket(ticket_id)[1]["rating"], 4)
        # Nothing left to do: the kiosk goes back to the start by itself.
        self.browser.wait(lambda: self.browser.find("#start").is_displayed(), timeout=10, message="the start screen")
        self.assertEqual(self.browser.find("#ticket-status-number").text, "")

        # Scanned again: one rating per ticket, and the screen says which.
        self.browser.click('[data-go="ticket-scan"]')
        self.browser.type("#ticket-scan-code", ticket["qr"] + "\n", clear=False)
        self.browser.wait_text("#ticket-status-text", "Phiếu này đã được đánh giá: Rất hài lòng.")
        self.assertFalse(self.browser.find("#rating").is_displayed())

        # A text made to look like a ticket's QR is refused, and the input is ready for the next scan.
        forged = ticket["qr"][:-4] + ("AAAA" if not ticket["qr"].endswith("AAAA") else "BBBB")
        self.browser.click('#ticket-status [data-go="start"]')
        self.browser.click('[data-go="ticket-scan"]')
        self.browser.type("#ticket-scan-code", forged + "\n", clear=False)
        self.browser.wait_text("#ticket-scan-form [role=alert]", "Mã QR không xác thực được.")
        self.assertEqual(self.browser.find("#ticket-scan-code").get_attribute("value"), "")
        self.assertEqual(self.browser.script("return document.activeElement.id"), "ticket-scan-code")
        self.assertNoConsoleErrors(("tickets/scan", 422))

    def test_walking_away_returns_to_the_start_and_forgets_what_was_typed(self):
        # A kiosk with a short idle time: devices/kiosks.yaml sets it per kiosk; the page
        # reads it from its boot data, which this test shortens.
        self.start()
        self.browser.script("Motcua.boot.settings.idleTimeoutSeconds = 1")
        self.browser.click("#larger-text")
        self.browser.click('[data-go="check-in"]')
        self.browser.type("#check-in-code", "K7MQ3XHP")

        self.browser.wait(lambda: self.browser.find("#start").is_displayed(), timeout=4, message="the start screen")
        self.assertEqual(self.browser.find("#check-in-code").get_attribute("value"), "")
        self.assertNotIn("large", self.browser.find("body").get_attribute("class"))

    def test_english_and_accessibility_modes(self):
        self.start("?kiosk=kiosk-1&lang=en")
        self.assertEqual(self.browser.text_of('[data-go="take-number"]'), "Take a number")
        self.browser.click("#high-contrast")
        self.browser.click("#larger-text")
        self.assertEqual(self.browser.find("#high-contrast").get_attribute("aria-pressed"), "true")
        self.browser.screenshot("kiosk-start-en-contrast")
        self.browser.click("#high-contrast")
        self.browser.click("#larger-text")
        self.start()
        self.browser.screenshot("kiosk-start")
        self.assertEqual(self.browser.text_of('[data-go="take-number"]'), "Lấy số thứ tự")
        labels = self.browser.script(
            "return [...document.querySelectorAll('input')].filter(i => !document.querySelector(`label[for='${i.id}']`)).map(i => i.id)"
        )
        self.assertEqual(labels, [], "inputs without a label")


class CutOffSiteKioskTest(SiteTestCase):
    """The kiosk of a site whose centre (and so the booking calendar) cannot be reached."""

    size = KIOSK
    # Nothing listens on port 9 of loopback: every call to the centre is refused at once.
    site_args = ("--role", "site", "--site", "hoi-an", "--centre", "http://127.0.0.1:9", "--site-token", "mct_unreachable")

    def test_booking_says_it_is_unavailable_while_numbers_and_the_rest_work(self):
        self.open("/kiosk?kiosk=kiosk-1")
        self.browser.wait(lambda: self.browser.script("return document.body.dataset.ready") == "true")
        booking_is_unavailable_but_numbers_work(self)
        # The refused slot lookup is the one failed request, and it is a 503, not a crash.
        self.assertNoConsoleErrors((r"slots\?\S*", 503))
