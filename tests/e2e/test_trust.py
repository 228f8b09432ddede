"""What archive staff rely on, over the committed samples and their truth: classes, types and
metadata right, and every record that is wrong asks for review (no silent errors)."""
import json
import re
import unicodedata
import unittest

from sohoa_run import SAMPLES, Output, fresh_dir, remove, run

KEYS = ["so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh", "ho_ten", "so_dinh_danh", "ngay_sinh", "trich_yeu"]

# Floors on the committed samples (30 documents); the floors are on the development set.
DOC_TYPE_FLOOR = 0.95
KEY_FLOOR = 0.80  # each metadata key where the truth has a value


def norm(key, v):
    """Equal values compare equal: NFC, spaces, case; UBND spelled out; a subject without "V/v"."""
    if v is None:
        return None
    s = re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(v))).strip()
    if not s:
        return None
    if key in ("ngay_ban_hanh", "ngay_sinh", "so_dinh_danh"):
        return s
    if key == "so_ky_hieu":
        return re.sub(r"\s+", "", re.sub(r"^số\s*:?\s*", "", s.casefold()))
    s = s.casefold().strip(" .,;:")
    if key == "co_quan_ban_hanh":
        s = re.sub(r"\bubnd\b", "ủy ban nhân dân", s).replace("uỷ", "ủy")
    if key == "trich_yeu":
        s = re.sub(r"^(về việc|v/v)\s*", "", s)
    return s


class Trust(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = fresh_dir("trust")
        cls.truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
        run([SAMPLES / "scans"], cls.tmp / "out", "-q", "--jobs", "2")
        cls.output = Output(cls.tmp / "out")
        cls.pairs = []  # (input entry, truth document, record or None)
        for entry in cls.truth["inputs"]:
            recs = {tuple(r["source"]["pages"]): r for r in cls.output.records_of(entry["path"], entry["member"])}
            for doc in entry.get("documents") or []:
                cls.pairs.append((entry, doc, recs.get(tuple(doc["pages"]))))

    @classmethod
    def tearDownClass(cls):
        remove(cls.tmp)

    def wrong_fields(self, doc, rec):
        bad = []
        if rec["class"] != doc["class"]:
            bad.append(f"class {rec['class']} (truth {doc['class']})")
        if rec["doc_type"] != doc["doc_type"]:
            bad.append(f"doc_type {rec['doc_type']} (truth {doc['doc_type']})")
        for k in KEYS:
            if norm(k, doc["metadata"].get(k)) != norm(k, rec["metadata"].get(k)):
                bad.append(f"{k} {rec['metadata'].get(k)!r} (truth {doc['metadata'].get(k)!r})")
        return bad

    def test_every_document_has_its_record(self):
        missing = [f"{e['path']} {e['member'] or ''} p{d['pages']}" for e, d, r in self.pairs if r is None]
        self.assertEqual(missing, [])

    def test_class_is_right_and_no_reusable_document_is_called_single_use(self):
        wrong = [(e["path"], d["class"], r["class"]) for e, d, r in self.pairs if r and r["class"] != d["class"]]
        self.assertEqual(wrong, [])

    def test_doc_type(self):
        found = [(e, d, r) for e, d, r in self.pairs if r]
        right = sum(r["doc_type"] == d["doc_type"] for e, d, r in found)
        wrong = [f"{e['path']}: {r['doc_type']} (truth {d['doc_type']})" for e, d, r in found if r["doc_type"] != d["doc_type"]]
        self.assertGreaterEqual(right / len(found), DOC_TYPE_FLOOR, wrong)

    def test_each_metadata_key_where_the_truth_has_a_value(self):
        table = {}
        for k in KEYS:
            have = [(e, d, r) for e, d, r in self.pairs if r and d["metadata"].get(k) is not None]
            if not have:
                continue
            right = sum(norm(k, d["metadata"][k]) == norm(k, r["metadata"].get(k)) for e, d, r in have)
            table[k] = (right, len(have))
        low = {k: f"{r}/{n}" for k, (r, n) in table.items() if r / n < KEY_FLOOR}
        self.assertEqual(low, {}, f"per key (right/with a value): {table}")

    def test_no_silent_errors(self):
        """A record that is wrong in any way asks for review: staff look only at what is flagged."""
        silent = []
        for e, d, r in self.pairs:
            if r is None:
                continue
            bad = self.wrong_fields(d, r)
            if bad and not r["review"]:
                silent.append(f"{e['path']} {e['member'] or ''} p{d['pages']}: {bad}")
        self.assertEqual(silent, [])

    def test_what_asks_for_review_says_why_in_known_codes(self):
        schema = json.loads((SAMPLES.parent / "docs" / "record.schema.json").read_text(encoding="utf-8"))
        codes = set(schema["properties"]["review_reasons"]["items"]["properties"]["code"]["enum"])
        for r in self.output.records.values():
            self.assertEqual(r["review"], bool(r["review_reasons"]), r["_dir"])
            for reason in r["review_reasons"]:
                self.assertIn(reason["code"], codes, r["_dir"])
                self.assertTrue(reason["detail"], r["_dir"])

    def test_flagged_but_right_stays_a_minority(self):
        """Flagging everything would be trustworthy and useless. The issue bounds right-but-flagged
        records at a quarter on the development set (measured there: see the closing notes); the
        committed samples are harsher (most inputs carry a damage profile, two văn bản lack their
        header, one card is an old CMND without a personal number), so here the bound is a third."""
        right = [r for e, d, r in self.pairs if r and not self.wrong_fields(d, r)]
        flagged = [r for r in right if r["review"]]
        why = [(r["source"]["path"], [x["code"] + ":" + str(x["field"]) for x in r["review_reasons"]]) for r in flagged]
        self.assertLessEqual(len(flagged), len(self.pairs) / 3, why)


if __name__ == "__main__":
    unittest.main()
