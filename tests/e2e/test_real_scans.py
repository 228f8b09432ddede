"""Real Vietnamese scans nobody on the team made (../shared/real-scans, read in place, never
copied): what its README says a user would expect of each."""
import os
import re
import subprocess
import tempfile
import unicodedata
import unittest
from pathlib import Path

import sohoa_run

SHARED = Path(os.environ.get("SOHOA_SHARED", sohoa_run.ROOT.parent / "shared"))
REAL = SHARED / "real-scans"


def council(v):
    """An authority's name with "UBND" written out, as the archive counts them the same."""
    return re.sub(r"\bUBND\b", "ỦY BAN NHÂN DÂN", v or "")


@unittest.skipUnless((REAL / "van-ban-hanh-chinh-11.png").exists(), f"real scans not found in {REAL} (set SOHOA_SHARED)")
class RealScans(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="sohoa-real-")
        out = Path(cls.tmp.name) / "out"
        sohoa_run.run([REAL], out, "-q")
        cls.o = sohoa_run.Output(out)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def record(self, name):
        found = self.o.records_of(name)
        self.assertEqual(len(found), 1, f"{name}: {len(found)} records")
        return found[0]

    def test_notice_of_the_ministry_of_justice(self):
        r = self.record("van-ban-hanh-chinh-11.png")
        self.assertEqual((r["doc_type"], r["class"]), ("van_ban_hanh_chinh", "reusable"))
        m = r["metadata"]
        self.assertEqual(m["so_ky_hieu"], "1135/TB-BTP")
        self.assertEqual(m["ngay_ban_hanh"], "2015-04-09")
        self.assertEqual(m["co_quan_ban_hanh"], "BỘ TƯ PHÁP")

    @unittest.expectedFailure  # OCR reads "đổi" as "đôi" on this screenshot
    def test_notice_subject_spelt_right(self):
        r = self.record("van-ban-hanh-chinh-11.png")
        self.assertTrue(r["metadata"]["trich_yeu"].startswith("hoán đổi ngày nghỉ"), r["metadata"]["trich_yeu"])

    def test_empty_form_saved_from_a_screen(self):
        # 458x564 pixels, letters edged in red and blue by sub-pixel rendering, dotted leaders.
        r = self.record("don-khoi-kien-vu-an-hanh-chinh-9418.png")
        self.assertEqual((r["doc_type"], r["class"]), ("don", "single_use"))
        text = self.o.page_texts(r)[0]
        # Title and some labels still lose a tone mark ("KHƠI" for "KHỞI"); these read whole.
        for label in ("Kính gửi", "Họ và tên người khởi kiện", "Họ và tên người bị kiện", "Địa chỉ (9)"):
            self.assertIn(label, text)
        self.assertIsNone(re.search(r"\.{3,}|…", text), "leader junk left in the text")
        self.assertEqual({k: v for k, v in r["metadata"].items() if v}, {}, "metadata invented for an empty form")

    def test_what_is_still_wrong_asks_for_review(self):
        # What sohoa does not flag must be right: every value the README names that comes out
        # wrong is on a record that asks for a person, with a reason.
        expected = {
            "van-ban-hanh-chinh-11.png": {"doc_type": "van_ban_hanh_chinh", "so_ky_hieu": "1135/TB-BTP",
                                          "ngay_ban_hanh": "2015-04-09", "co_quan_ban_hanh": "BỘ TƯ PHÁP",
                                          "trich_yeu": lambda v: (v or "").startswith("hoán đổi ngày nghỉ")},
            "thanh-hoa-6.png": {"doc_type": "van_ban_hanh_chinh",
                                "co_quan_ban_hanh": lambda v: council(v) == "ỦY BAN NHÂN DÂN HUYỆN TĨNH GIA",
                                "ngay_ban_hanh": "2020-04-16"},
            "don-khoi-kien-vu-an-hanh-chinh-9418.png": {"doc_type": "don"},
        }
        for name, want in expected.items():
            r = self.record(name)
            got = dict(r["metadata"], doc_type=r["doc_type"])
            wrong = [k for k, v in want.items() if not (v(got.get(k)) if callable(v) else got.get(k) == v)]
            if wrong:
                self.assertTrue(r["review"], f"{name}: {wrong} wrong and not flagged")
            # ... and the reason names what is wrong, so that the desk shows the field to mend
            reasons = r["review_reasons"]
            for k in wrong:
                if k == "doc_type":
                    self.assertTrue([x for x in reasons if x["code"].startswith("type_")], f"{name}: type not questioned")
                else:
                    self.assertIn(k, [x["field"] for x in reasons], f"{name}: {k}={got.get(k)!r} wrong, no reason names it")

    def test_phone_photo_is_flagged_for_review(self):
        self.assertTrue(self.record("thanh-hoa-6.png")["review"])

    def test_phone_photo_lines_are_levelled_only_by_proof(self):
        # letters of 7 px on a 600 px page, the header's corner lifted: each line levelled on its
        # own, kept or refused by recognition, and either way recorded with its figures
        page = self.record("thanh-hoa-6.png")["pages"][0]
        steps = {s["step"]: s for s in page["prepare"]}
        self.assertIn("local_dewarp", steps)
        self.assertRegex(steps["local_dewarp"]["reason"], "^(proved by recognition|read no better than without): letters 7")

    # Phrases of the photo's body, top to bottom, as a reader checks them.
    BODY = ["Nghị quyết số 42/NQ-CP", "các xã, thị trấn", "chính sách", "danh sách đối tượng", "đủ điều kiện",
            "hưởng trợ cấp", "Hộ nghèo, cận nghèo", "tránh trường hợp", "Thương binh và Xã hội", "trước 12 giờ 00",
            "tổng hợp báo cáo", "Yêu cầu Ủy ban nhân dân", "nghiêm túc thực hiện", "Nơi nhận", "Như trên",
            "Hồ Đình Tùng", "Kính gửi", "khẩn trương", "Covid-19", "cấp xã hội hàng tháng"]

    @staticmethod
    def phrases_in(text):
        flat = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))
        return [p for p in RealScans.BODY if p in flat]

    def test_phone_photo_body_reads_better_than_plain_tesseract(self):
        # The photo's letters are grey (about 140 on paper of 200): the paper's map counts them
        # as paper and fades them, and so sohoa read 3 of these phrases where plain Tesseract on
        # the untouched file reads 6. Kept dark, proved by a second reading: 8. Never worse than raw.
        r = self.record("thanh-hoa-6.png")
        kept = {s["step"]: s for s in r["pages"][0]["prepare"]}.get("keep_light_ink")
        self.assertTrue(kept and kept["applied"], kept)
        self.assertRegex(kept["reason"], "^proved by recognition: ")
        ours = self.phrases_in(self.o.page_texts(r)[0])
        plain = subprocess.run(["tesseract", str(REAL / "thanh-hoa-6.png"), "-", "-l", "vie"], capture_output=True,
                               text=True, check=True, env=dict(os.environ, OMP_THREAD_LIMIT="1")).stdout
        theirs = self.phrases_in(plain)
        self.assertGreaterEqual(len(ours), len(theirs), f"sohoa {ours}, plain tesseract {theirs}")
        self.assertGreaterEqual(len(ours), 7, ours)

    def test_phone_photo_header_read_as_the_council_and_asked(self):
        # The header's letters are 5 px in the file. Read with the page, they come out in scraps
        # ("NƯ Ủ ẤN ĐỀN"); read again as one block, "LÝ HẠN NHÂN ĐẠN / ĐHUVỆN TÍNH GIÁ", which is
        # a few letters from the people's committee of a district the gazetteer knows. The value
        # is that name, and a person is asked to confirm it beside what OCR read.
        r = self.record("thanh-hoa-6.png")
        self.assertEqual(r["doc_type"], "van_ban_hanh_chinh")
        self.assertEqual(r["metadata"]["co_quan_ban_hanh"], "ỦY BAN NHÂN DÂN HUYỆN TĨNH GIA")
        steps = [s for s in r["pages"][0]["prepare"] if s["step"] == "reread_unsure_region"]
        self.assertTrue([s for s in steps if s["applied"]], steps)
        asked = [x for x in r["review_reasons"] if x["field"] == "co_quan_ban_hanh" and x["code"] == "field_low_confidence"]
        self.assertTrue(asked and "OCR read" in asked[0]["detail"], r["review_reasons"])

    # The number's digits are handwritten, its symbol and the date line blurred to 5 px letters
    # ("Nó 41/3 /LIHEIĐE…", "Hình ta, ngủ A( thâm my 2U"): not read yet.
    @unittest.expectedFailure
    def test_phone_photo_number_and_date_read(self):
        r = self.record("thanh-hoa-6.png")
        self.assertEqual(r["metadata"]["ngay_ban_hanh"], "2020-04-16")
        self.assertEqual(r["metadata"]["so_ky_hieu"], "1113/UBND-LĐTBXH")


if __name__ == "__main__":
    unittest.main()
