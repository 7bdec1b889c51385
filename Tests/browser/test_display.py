"""The hall display on a 1080p TV: a call made at a counter shows within a second and is
announced (chime, then the Vietnamese voice) once; the board reconnects by itself."""

import time

from harness import TV, SiteTestCase


class DisplayTest(SiteTestCase):
    size = TV

    def setUp(self):
        super().setUp()
        self.officer = self.site.token("officer")

    def counter_row(self, counter_id):
        return self.browser.find(f'#counters tr[data-counter="{counter_id}"]')

    def test_a_call_shows_within_a_second_and_is_announced_once(self):
        status, ticket = self.site.api("POST", "tickets", {"serviceId": "A"})
        self.assertEqual(status, 201)
        self.open("/display?hall=tang-1")
        self.browser.wait_text('#services tr[data-service="A"]', "1")

        started = time.monotonic()
        status, called = self.site.api("POST", "counters/1/call-next", token=self.officer)
        self.assertEqual((status, called["number"]), (200, ticket["number"]))
        def fresh_row_class():
            row = self.counter_row(1)
            return ticket["number"] in row.text and row.get_attribute("class")
        row_class = self.browser.wait(fresh_row_class, timeout=1, message="the called number on counter 1's row")
        elapsed = time.monotonic() - started

        self.assertLess(elapsed, 1.0)
        self.assertIn("fresh", row_class)
        self.assertIn(ticket["number"], self.browser.text_of("#latest-call"))
        self.browser.wait(lambda: self.browser.find("body").get_attribute("data-announced") == "1", timeout=15,
                          message="the announcement to have played")
        played = self.browser.script(
            "return performance.getEntriesByType('resource').filter(e => e.name.includes('/announcements/')).length")
        self.assertEqual(played, 1)
        self.browser.screenshot("display-tv")
        self.assertNoConsoleErrors()

    def test_the_hall_shows_only_its_services(self):
        self.open("/display?hall=tang-2")
        self.browser.visible('#services tr[data-service="K"]')
        shown = [row.get_attribute("data-service") for row in self.browser.finds("#services tr")]
        self.assertEqual(shown, ["K", "N"])

    def test_calls_already_made_are_not_announced_again_on_reload(self):
        self.site.api("POST", "tickets", {"serviceId": "B"})
        self.site.api("POST", "counters/4/call-next", token=self.officer)
        self.open("/display?hall=tang-1")
        self.browser.visible('#counters tr[data-counter="4"]')
        time.sleep(1.5)
        self.assertIsNone(self.browser.find("body").get_attribute("data-announced"))

    def test_the_board_reconnects_by_itself(self):
        self.open("/display?hall=tang-1")
        self.browser.visible("#counters tr")
        # The server restarts (an upgrade, a power cut): the stream drops and comes back.
        self.site.halt()
        self.browser.wait_text("#connection", "Mất kết nối", timeout=10)
        self.site.launch()
        _, ticket = self.site.api("POST", "tickets", {"serviceId": "C"})
        self.site.api("POST", "counters/5/call-next", token=self.officer)
        self.browser.wait(lambda: ticket["number"] in self.counter_row(5).text, timeout=10,
                          message="the call after reconnecting")
        self.assertNotIn("Mất kết nối", self.browser.text_of("#connection"))
