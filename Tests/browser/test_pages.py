"""Every page: loads in Vietnamese by default with no script errors, switches to English,
stays under 150 KB with all its assets, and needs nothing from outside the site."""

import re
import urllib.request

from harness import DESK, SiteTestCase

PAGES = ["/kiosk", "/display?hall=tang-1", "/counter", "/manager"]
BUDGET_BYTES = 150 * 1024


class PagesTest(SiteTestCase):
    size = DESK

    def test_each_page_is_vietnamese_first_and_switches_to_english(self):
        for path in PAGES:
            with self.subTest(path=path):
                self.open(path)
                self.assertEqual(self.browser.find("html").get_attribute("lang"), "vi")
                self.browser.wait(lambda: self.browser.script("return document.readyState") == "complete")
                self.assertNoConsoleErrors()
                separator = "&" if "?" in path else "?"
                self.open(path + separator + "lang=en")
                self.assertEqual(self.browser.find("html").get_attribute("lang"), "en")
                self.assertNoConsoleErrors()

    def test_each_page_weighs_under_budget_and_loads_only_from_the_site(self):
        for path in PAGES:
            with self.subTest(path=path):
                self.open(path)
                self.browser.wait(lambda: self.browser.script("return document.readyState") == "complete")
                names = self.browser.script("return performance.getEntriesByType('resource').map(e => e.name)")
                for name in names:
                    self.assertTrue(name.startswith(self.site.url), f"{name} is not from the site")
                # What the page fetched, as the network carries it; an event stream has no end.
                fetched = [n for n in names if "/assets/" in n]
                self.assertTrue(fetched, "the page loaded no assets")
                html = urllib.request.urlopen(self.site.url + path).read()
                total = len(html) + sum(len(urllib.request.urlopen(n).read()) for n in fetched)
                self.assertLess(total, BUDGET_BYTES, f"{path} weighs {total} bytes")

    def test_every_asset_a_page_names_is_served(self):
        for path in PAGES:
            html = urllib.request.urlopen(self.site.url + path).read().decode()
            for asset in re.findall(r'(?:src|href)="(/assets/[^"]+)"', html):
                with self.subTest(asset=asset):
                    with urllib.request.urlopen(self.site.url + asset) as response:
                        self.assertEqual(response.status, 200)
