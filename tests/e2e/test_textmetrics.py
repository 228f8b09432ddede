"""Unit tests for tests/tools/textmetrics.py (the CER used by the e2e tests and bench/)."""
import json
import os
import random
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import textmetrics as tm  # noqa: E402


class NormalizeTest(unittest.TestCase):
    def test_whitespace_collapses_and_strips(self):
        self.assertEqual(tm.normalize("  a\tb\n\nc\fd   e \r\n"), "a b c d e")

    def test_nfc(self):
        decomposed = "Nguye\u0302\u0303n"          # e + combining circumflex + combining tilde
        self.assertEqual(tm.normalize(decomposed), "Nguyễn")
        self.assertEqual(len(tm.normalize(decomposed)), 6)

    def test_no_case_or_punctuation_folding(self):
        self.assertEqual(tm.normalize("Số: 12/QĐ-UBND."), "Số: 12/QĐ-UBND.")

    def test_none_and_empty(self):
        self.assertEqual(tm.normalize(None), "")
        self.assertEqual(tm.normalize(" \f\n "), "")


class LevenshteinTest(unittest.TestCase):
    KNOWN = [
        ("", "", 0), ("abc", "", 3), ("", "abc", 3), ("kitten", "sitting", 3),
        ("flaw", "lawn", 2), ("abc", "abc", 0), ("abc", "acb", 2), ("Hà Nội", "Ha Noi", 2),
        ("intention", "execution", 5), ("a" * 100, "b" * 100, 100),
    ]

    def test_known_distances(self):
        for a, b, d in self.KNOWN:
            with self.subTest(a=a, b=b):
                self.assertEqual(tm.levenshtein(a, b), d)
                self.assertEqual(tm.levenshtein(b, a), d)
                self.assertEqual(tm.levenshtein_dp(a, b), d)

    def test_counts_code_points_not_bytes(self):
        self.assertEqual(tm.levenshtein("Nguyễn", "Nguyên"), 1)
        self.assertEqual(tm.levenshtein("đ", "d"), 1)

    def test_bit_parallel_matches_dp_on_random_strings(self):
        r = random.Random(7)
        for _ in range(400):
            alphabet = "aăâbđeêơư "[: r.randint(1, 10)]
            a = "".join(r.choice(alphabet) for _ in range(r.randint(0, 90)))
            b = "".join(r.choice(alphabet) for _ in range(r.randint(0, 90)))
            self.assertEqual(tm.levenshtein(a, b), tm.levenshtein_dp(a, b), (a, b))

    def test_long_pages_are_fast(self):
        r = random.Random(3)
        ref = "".join(r.choice("abcdefghiklmnopqrstuvxyàáạảãâầấậẩẫăđêôơư ") for _ in range(3000))
        hyp = "".join(c if r.random() > 0.1 else "x" for c in ref)
        t0 = time.monotonic()
        for _ in range(20):
            d = tm.levenshtein(hyp, ref)
        self.assertLess(time.monotonic() - t0, 10.0)     # ~0.01 s per page in practice
        self.assertGreater(d, 0)
        self.assertLessEqual(d, sum(1 for x, y in zip(hyp, ref) if x != y))


class CerTest(unittest.TestCase):
    def test_counts_and_rate(self):
        self.assertEqual(tm.cer_counts("kitten", "sitting"), (3, 7))
        self.assertAlmostEqual(tm.cer("kitten", "sitting"), 3 / 7)

    def test_whitespace_and_page_breaks_are_free(self):
        self.assertEqual(tm.cer("CỘNG HÒA\n\nXÃ HỘI\f", "CỘNG HÒA XÃ HỘI"), 0.0)

    def test_case_and_diacritics_count(self):
        self.assertEqual(tm.cer_counts("cộng hòa", "CỘNG HÒA"), (7, 8))
        self.assertEqual(tm.cer_counts("Cong Hoa", "Cộng Hòa"), (2, 8))

    def test_empty_cases(self):
        self.assertEqual(tm.cer("", ""), 0.0)
        self.assertEqual(tm.cer("abc", ""), 1.0)
        self.assertEqual(tm.cer("", "abcd"), 1.0)
        self.assertEqual(tm.cer_counts("", "abcd"), (4, 4))

    def test_can_exceed_one(self):
        self.assertEqual(tm.cer("abcdef", "ab"), 2.0)

    def test_aggregation(self):
        pairs = [("kitten", "sitting"), ("abc", "abc"), ("", "xy")]
        edits = sum(tm.cer_counts(h, r)[0] for h, r in pairs)
        chars = sum(tm.cer_counts(h, r)[1] for h, r in pairs)
        self.assertEqual((edits, chars), (5, 12))

    def test_word_recall(self):
        self.assertEqual(tm.word_recall_counts("Hòa Cộng xã", "Cộng Hòa Xã Hội"), (2, 4))
        self.assertEqual(tm.word_recall_counts("a a b", "a a a"), (2, 3))


class LoadTruthTest(unittest.TestCase):
    def test_keyed_by_path_and_member(self):
        data = {"inputs": [
            {"path": "HS-1/a.png", "member": None, "profile": "clean", "page_count": 1,
             "pages": [{"rotation": 0, "skew_deg": 0.0, "blank": False, "separator": False, "text": "x"}]},
            {"path": "HS-1/b.zip", "member": "scan/1.png", "profile": "fax", "page_count": 1,
             "pages": [{"rotation": 90, "skew_deg": 1.5, "blank": False, "separator": False, "text": "y"}]},
        ]}
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "truth.json")
            with open(p, "w", encoding="utf-8") as f:
                json.dump(data, f)
            t = tm.load_truth(p)
            self.assertEqual(set(t), {("HS-1/a.png", None), ("HS-1/b.zip", "scan/1.png")})
            self.assertEqual(t[("HS-1/b.zip", "scan/1.png")]["profile"], "fax")
            self.assertEqual(tm.load_truth(d), t)       # a folder means FOLDER/truth.json

    def test_committed_truth_if_present(self):
        root = os.environ.get("SOHOA_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
        p = os.path.join(root, "samples", "truth.json")
        if not os.path.exists(p):
            self.skipTest("samples/truth.json not generated yet")
        t = tm.load_truth(p)
        self.assertTrue(t)
        for (path, _member), e in t.items():
            self.assertEqual(e["page_count"], len(e["pages"]), path)


if __name__ == "__main__":
    unittest.main()
