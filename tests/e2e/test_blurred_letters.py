"""Công văn photographed small and out of focus, from a generator of their own (blurred_letters.py:
four serif families, 600-700 px across, eight councils of the gazetteer: 64 pages). What sohoa does not
flag must be right: every record with a wrong value asks for review and names the field. And the
council's name, read in scraps on such a page, is read as the gazetteer's council where it is
plainly that one."""
import re
import unittest

from blurred_letters import make
from sohoa_run import Output, fresh_dir, remove, run


def same(key, want, got):
    if key == "co_quan_ban_hanh":
        return re.sub(r"\bUBND\b", "ỦY BAN NHÂN DÂN", got or "") == want
    return got == want


class BlurredLetters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = fresh_dir("blurred")
        (cls.tmp / "in").mkdir()
        cls.truth = make(cls.tmp / "in")
        run([cls.tmp / "in"], cls.tmp / "out", "-q", "--jobs", "2")
        cls.output = Output(cls.tmp / "out")

    @classmethod
    def tearDownClass(cls):
        remove(cls.tmp)

    def wrong(self, name):
        r = self.output.only(name)
        got = dict(r["metadata"], doc_type=r["doc_type"])
        return r, [k for k, v in self.truth[name].items() if not same(k, v, got.get(k))]

    def test_no_record_is_wrong_without_asking(self):
        # Before: 4 of the 64 records were wrong and asked nothing ("2629/UBND.VP" for
        # 2629/UBND-VP, "đói tượng" for "đối tượng"); 35 wrong values were not named.
        silent = [(name, wrong) for name in self.truth for r, wrong in [self.wrong(name)] if wrong and not r["review"]]
        self.assertEqual(silent, [])
        # a wrong type is questioned as such
        for name in self.truth:
            r, wrong = self.wrong(name)
            if "doc_type" in wrong:
                self.assertTrue([x for x in r["review_reasons"] if x["code"].startswith("type_")], (name, r["doc_type"]))

    # A value given wrong on a record asked for other reasons is not always named itself (5 of
    # 64): "đối tượng hướng chính sách" for "hưởng" (both pairs are Vietnamese, "định hướng chính
    # sách" is common), "hưởng. chính sách", a day read 3 for 5 at confidence 89 on a page read
    # at 72. The person at the desk sees the record, but not that field marked.
    @unittest.expectedFailure
    def test_every_wrong_value_is_named(self):
        unnamed = []
        for name in self.truth:
            r, wrong = self.wrong(name)
            named = {x["field"] for x in r["review_reasons"]}
            unnamed += [(name, k, r["metadata"].get(k)) for k in wrong
                        if k != "doc_type" and r["metadata"].get(k) is not None and k not in named]
        self.assertEqual(unnamed, [])

    def test_the_council_is_read(self):
        # 34 of 64 right before the block re-reading and the gazetteer's councils; 55 after.
        right = sum("co_quan_ban_hanh" not in self.wrong(name)[1] for name in self.truth)
        self.assertGreaterEqual(right, 52)

    def test_a_letter_is_no_decision(self):
        # "Kính gửi" opens every page; the model's taste for quyet_dinh (its body cites a
        # resolution) typed 17 of 64 wrong before, 8 after (each questioned).
        right = sum("doc_type" not in self.wrong(name)[1] for name in self.truth)
        self.assertGreaterEqual(right, 54)


if __name__ == "__main__":
    unittest.main()
