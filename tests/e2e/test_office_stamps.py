"""An arrival stamp ("CV ĐẾN  Số: …  Ngày: …") stamped beside and over the start of a công văn's
body, drawn in two fonts (office_pages.py) and run through the real sohoa: the body reads in
order without the stamp's words, the stamp is a region of its own read last, and its number and
date are the record's van_ban_den while the document's own number and date stay its own."""
import re
import unittest

import office_pages
from sohoa_run import Output, fresh_dir, remove, run

IN = OUT = OUTPUT = None


def setUpModule():
    global IN, OUT, OUTPUT
    IN, OUT = fresh_dir("stamps-in"), fresh_dir("stamps-out")
    office_pages.make(str(IN / "HS-DEN"))
    run([IN], OUT, "-q", "--jobs", "2")
    OUTPUT = Output(OUT)


def tearDownModule():
    for d in (IN, OUT):
        remove(d)


def fold(s):
    return re.sub(r"\s+", " ", s).strip().casefold()


class ArrivalStamp(unittest.TestCase):
    def pages(self):
        for v in ("a", "b"):
            font = office_pages.VARIANTS[v][0]
            (rec,) = OUTPUT.records_of(f"HS-DEN/stamped-{font}.png")
            yield font, rec

    def test_body_reads_in_order_without_the_stamp(self):
        for font, rec in self.pages():
            with self.subTest(font=font):
                text = OUTPUT.page_texts(rec)[0]
                body = fold(" ".join(office_pages.EXPECTED["body"]))
                self.assertIn(body, fold(text), text)
                regions = rec["pages"][0]["regions"]
                stamps = [r for r in regions if r["role"] == "stamp"]
                self.assertEqual(len(stamps), 1, [(r["role"], r["lines"]) for r in regions])
                self.assertEqual(stamps[0]["order"], len(regions), "the stamp is read after the rest of the page")
                stamp = fold(" ".join(stamps[0]["lines"]))
                self.assertIn("đến", stamp)
                self.assertIn(office_pages.STAMP_NUMBER, stamp)
                for r in regions:
                    if r is not stamps[0]:
                        self.assertNotIn(office_pages.STAMP_NUMBER, " ".join(r["lines"]))
                        self.assertNotIn("Chuyển", " ".join(r["lines"]))

    def test_stamp_number_and_date_are_the_arrival_not_the_document(self):
        for font, rec in self.pages():
            with self.subTest(font=font):
                m = rec["metadata"]
                self.assertEqual(m["van_ban_den"], office_pages.EXPECTED["van_ban_den"])
                self.assertEqual(m["so_ky_hieu"], office_pages.EXPECTED["so_ky_hieu"])
                self.assertEqual(m["ngay_ban_hanh"], office_pages.EXPECTED["ngay_ban_hanh"])


if __name__ == "__main__":
    unittest.main()
