"""sohoa over the committed sample dossiers, judged against their ground truth."""
import json
import subprocess
import unittest
from collections import Counter, defaultdict

from sohoa_run import SAMPLES, Output, fresh_dir, remove, run
from textmetrics import cer_counts

# Character error rate each degradation profile must stay under (share of reference characters,
# reading order included). Measured on the committed set (see the closing notes): each bound
# leaves some margin but fails on a real regression: a page left sideways or upside down costs
# ~100%, OCR without the cleaning step costs 19% on clean forms and 31% overall.

CER_LIMITS = {
    "clean": 0.04,
    "dpi200_gray": 0.03,
    "upside_down": 0.03,
    "sideways": 0.03,
    "skew": 0.06,
    "jpeg_heavy": 0.07,
    "noise": 0.07,
    "dark_borders": 0.08,
    "yellowed": 0.10,
    "seal": 0.12,
    "fax": 0.13,
    "photo": 0.03,   # 0.3% measured; 5.7% with the light's tint left on the seal and signature
}
CER_LIMIT_DEFAULT = 0.10
CER_LIMIT_OVERALL = 0.07


def profiles_of(entry):
    return entry["profile"].split("+")


class Samples(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = fresh_dir("samples")
        cls.truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
        cls.proc = run([SAMPLES / "scans"], cls.tmp / "out", "-q", "--jobs", "2")
        cls.output = Output(cls.tmp / "out")

    @classmethod
    def tearDownClass(cls):
        remove(cls.tmp)

    def entries(self, stacks=False):
        return [e for e in self.truth["inputs"] if bool(e.get("stack")) == stacks]

    def ocr_pages(self, entry):
        """The text sohoa gives for each page of an input, by page number."""
        pages = {}
        for rec in self.output.records_of(entry["path"], entry["member"]):
            first = rec["source"]["pages"][0]
            for i, text in enumerate(self.output.page_texts(rec)):
                pages[first + i] = text
        return pages

    def test_every_input_is_read_without_errors(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertEqual(self.output.batch["errors"], [])
        self.assertEqual(self.output.batch["inputs"], len(self.truth["inputs"]))
        self.assertEqual(self.output.batch["pages"], sum(e["page_count"] for e in self.truth["inputs"]))

    def test_records_have_exactly_the_page_ranges_of_the_documents(self):
        for entry in self.truth["inputs"]:
            with self.subTest(path=entry["path"], member=entry["member"]):
                recs = self.output.records_of(entry["path"], entry["member"])
                self.assertEqual([r["source"]["pages"] for r in recs], [d["pages"] for d in entry["documents"]])
                for rec in recs:
                    first, last = rec["source"]["pages"]
                    self.assertEqual([p["number"] for p in rec["pages"]], list(range(first, last + 1)))
                    for p in rec["pages"]:
                        self.assertEqual(p["blank"], entry["pages"][p["number"] - 1]["blank"])

    def test_stack_cuts_say_why(self):
        for entry in self.entries(stacks=True):
            recs = self.output.records_of(entry["path"], entry["member"])
            cues = [r["split"]["cue"] for r in recs]
            self.assertEqual(cues[0], "first_page")
            after_separator = [d["pages"][0] - 1 for d in entry["documents"][1:]]
            for rec, prev in zip(recs[1:], after_separator):
                expected = "separator_sheet" if entry["pages"][prev - 1]["separator"] else "national_header"
                self.assertEqual(rec["split"]["cue"], expected)

    def test_pages_come_out_upright(self):
        for entry in self.truth["inputs"]:
            recs = self.output.records_of(entry["path"], entry["member"])
            for rec in recs:
                for page in rec["pages"]:
                    truth_page = entry["pages"][page["number"] - 1]
                    if truth_page["blank"]:
                        continue
                    with self.subTest(path=entry["path"], page=page["number"]):
                        # truth: how far the scan is turned clockwise; sohoa: the turn that undoes it
                        self.assertEqual((page["rotation"] + truth_page["rotation"]) % 360, 0)

    def test_skew_is_measured(self):
        for entry in self.entries():
            for rec in self.output.records_of(entry["path"], entry["member"]):
                for page in rec["pages"]:
                    skew = entry["pages"][page["number"] - 1]["skew_deg"]
                    if abs(skew) < 0.5:
                        continue
                    with self.subTest(path=entry["path"], page=page["number"]):
                        self.assertAlmostEqual(abs(page["skew_deg"]), abs(skew), delta=0.4)

    def test_character_error_rate_per_profile(self):
        edits, chars = defaultdict(int), defaultdict(int)
        for entry in self.truth["inputs"]:
            pages = self.ocr_pages(entry)
            for n, truth_page in enumerate(entry["pages"], start=1):
                if truth_page["blank"] or truth_page.get("separator"):
                    continue
                e, c = cer_counts(pages.get(n, ""), truth_page["text"])
                for profile in profiles_of(entry):
                    edits[profile] += e
                    chars[profile] += c
                edits["all"] += e
                chars["all"] += c
        report = {p: round(edits[p] / chars[p], 4) for p in chars}
        print("\nCER per profile:", json.dumps(report, sort_keys=True))
        for profile in chars:
            if profile == "all":
                continue
            with self.subTest(profile=profile):
                self.assertLess(report[profile], CER_LIMITS.get(profile, CER_LIMIT_DEFAULT))
        self.assertLess(report["all"], CER_LIMIT_OVERALL)

    def test_pdf_text_layer_gives_back_the_text(self):
        for rec in self.output.records.values():
            with self.subTest(record=rec["id"]):
                pdf = rec["_dir"] / "document.pdf"
                qpdf = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
                self.assertEqual(qpdf.returncode, 0, qpdf.stdout + qpdf.stderr)
                layer = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                       text=True, check=True).stdout
                text = "".join(t for t, p in zip(self.output.page_texts(rec), rec["pages"]) if not p["blank"])
                # pdftotext orders columns its own way and joins words set close together (small
                # card print): what matters is that every character of the text is in the layer.
                want = Counter(c for c in text if not c.isspace())
                got = Counter(c for c in layer if not c.isspace())
                self.assertGreater(sum((want & got).values()) / max(sum(want.values()), 1), 0.99)

    def test_record_names_are_stable(self):
        import hashlib
        for rec in self.output.records.values():
            first, last = rec["source"]["pages"]
            src = rec["source"]
            # Where the document came from names it, not its bytes: dossier, path, member.
            self.assertEqual(src["dossier"], src["path"].split("/")[0])
            key = f"{src['dossier']}\n{src['path']}\n{src['member'] or ''}".encode("utf-8")
            self.assertEqual(rec["id"], f"{hashlib.sha256(key).hexdigest()[:16]}-p{first:03d}-{last:03d}")
            if rec["source"]["member"] is None:
                data = (SAMPLES / "scans" / rec["source"]["path"]).read_bytes()
                self.assertEqual(rec["source"]["sha256"], hashlib.sha256(data).hexdigest())

    def test_texts_are_nfc(self):
        import unicodedata
        for rec in self.output.records.values():
            text = (rec["_dir"] / "text.txt").read_text(encoding="utf-8")
            self.assertEqual(text, unicodedata.normalize("NFC", text))

    def test_photographed_sheets_are_cut_out_and_straightened_and_scans_are_not_bent(self):
        for entry in self.truth["inputs"]:
            photo = "photo" in profiles_of(entry)
            for rec in self.output.records_of(entry["path"], entry["member"]):
                for page in rec["pages"]:
                    with self.subTest(path=entry["path"], page=page["number"]):
                        if photo:
                            self.assertTrue(page["sheet_rectified"] and page["lines_straightened"])
                        else:
                            # flatbed scans are flat: a bend put into them would be an error
                            self.assertFalse(page["lines_straightened"])

    def test_missing_dpi_is_assumed_and_said(self):
        for entry in self.truth["inputs"]:
            if entry.get("dpi") is None and entry["format"] != "pdf":
                for rec in self.output.records_of(entry["path"], entry["member"]):
                    self.assertTrue(all(p["dpi_assumed"] and p["dpi"] == 300 for p in rec["pages"]))


if __name__ == "__main__":
    unittest.main()
