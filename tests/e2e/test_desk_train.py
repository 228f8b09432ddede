"""Approved corrections feed learning (issue 18): a clerk corrects one record's type at the review desk
and approves it, approves another as it is, and models/train.py --from-out trains on those two
records (and on no other), with the corrected type, and says what they changed on the held-out set.

The training set is samples/truth.json (the committed samples' ground truth, with noisy copies), the
held-out set the dev corpus's truth ($SOHOA_SHARED/dev-corpus); the models go to a temporary folder,
never to models/.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import desk_util as du
import sohoa_run

MODELS = sohoa_run.ROOT / "models"
TRAIN = MODELS / "train.py"
SHARED = Path(os.environ.get("SOHOA_SHARED", sohoa_run.ROOT.parent / "shared"))
DEV_TRUTH = SHARED / "dev-corpus" / "truth.json"

sys.path.insert(0, str(MODELS))
import train  # noqa: E402  (models/train.py: load_model, posterior, CLASSES)
from nbfeatures import features  # noqa: E402

TMP = None


def setUpModule():
    global TMP
    TMP = du.make_out("train")


def tearDownModule():
    if TMP:
        shutil.rmtree(TMP, ignore_errors=True)


def committed():
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in [MODELS / "doctype_nb.txt", MODELS / "reliability.json", MODELS / "reliability.png"]}


@unittest.skipUnless(DEV_TRUTH.exists(), f"{DEV_TRUTH} not found (set SOHOA_SHARED)")
class ApprovedCorrectionsTrainTest(unittest.TestCase):
    def setUp(self):
        self.out = du.copy_out(TMP, f"out-{self._testMethodName}")
        self.work = Path(tempfile.mkdtemp(prefix="sohoa-train-"))
        self.addCleanup(shutil.rmtree, self.work, True)
        # HS-000123: to-khai-khai-sinh.png, giay-khai-sinh.jpg, cccd-cha-me.jpg, bien-nhan.png, one record each
        (self.gks,) = du.records_of_input(self.out, "giay-khai-sinh.jpg")
        (self.bn,) = du.records_of_input(self.out, "bien-nhan.png")
        self.was = du.load_record(self.out, self.gks)["doc_type"]
        self.new = "trich_luc" if self.was != "trich_luc" else "giay_khai_sinh"
        desk = du.Desk(self.out, "tk-train", "Lê Văn Học")
        try:
            etag = desk.get(f"/api/records/{self.gks}")[1]["etag"]
            st, body, *_ = desk.post(f"/api/records/{self.gks}/edit", {
                "base": etag, "why": "bản trích lục, không phải bản chính",
                "changes": [{"field": "doc_type", "value": self.new}], "action": "approve"})
            self.assertEqual(st, 200, body)
            etag = desk.get(f"/api/records/{self.bn}")[1]["etag"]
            st, body, *_ = desk.post(f"/api/records/{self.bn}/edit", {"base": etag, "changes": [], "action": "approve"})
            self.assertEqual(st, 200, body)
        finally:
            desk.stop()
        rec = du.load_record(self.out, self.gks)
        self.assertEqual((rec["doc_type"], rec["desk"]["status"]), (self.new, "approved"))
        self.nrecords = len(list((self.out / "records").glob("*/record.json")))
        self.assertGreater(self.nrecords, 2, "records left unapproved, which must not be trained on")

    def run_train(self, *outs):
        before = committed()
        cmd = ["/usr/bin/python3", str(TRAIN), "--truth", str(sohoa_run.SAMPLES / "truth.json"),
               "--heldout", str(DEV_TRUTH), "--from-out", *map(str, outs),
               "--out", str(self.work / "nb.txt"), "--out-without", str(self.work / "nb0.txt"),
               "--figures", str(self.work / "figures.json"), "--reliability", str(self.work / "reliability.png")]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(committed(), before, "the committed model files were rewritten")
        return proc.stdout, json.loads((self.work / "figures.json").read_text(encoding="utf-8"))

    def test_the_approved_records_are_trained_on_and_the_held_out_figures_compare(self):
        stdout, fig = self.run_train(self.out)
        self.assertIn(f"--from-out: {self.nrecords} records in 1 folder(s), 2 approved at the desk, 2 used "
                      f"(1 with a doc_type the clerk corrected)", stdout)
        self.assertIn(f"approved {self.gks}: {self.new} (corrected from {self.was})", stdout)
        c = fig["approved_records"]
        self.assertEqual((c["approved"]["records"], c["approved"]["approved"], c["used"], c["corrected"]),
                         (self.nrecords, 2, 2, 1))
        got = {r["id"]: (r["doc_type"], r["corrected_from"]) for r in c["records"]}
        bn_type = du.load_record(self.out, self.bn)["doc_type"]
        self.assertEqual(got, {self.gks: (self.new, self.was), self.bn: (bn_type, None)})
        # Trained on: two more documents and samples (one each), the rest of the set the same.
        truth_docs = len(train.truth_docs(str(sohoa_run.SAMPLES / "truth.json")))
        self.assertEqual((c["without"]["training_documents"], c["with"]["training_documents"]), (truth_docs, truth_docs + 2))
        self.assertEqual(c["with"]["samples"] - c["without"]["samples"], 2)
        self.assertIn(f"on {truth_docs + 2} documents", (self.work / "nb.txt").read_text(encoding="utf-8").split("\n")[1])
        # With the corrected type as its label: the model trained with it gives that type to the
        # record's text a higher posterior than the one trained without it.
        text = (self.out / "records" / self.gks / "text.txt").read_text(encoding="utf-8")
        k = train.CLASSES.index(self.new)
        p = []
        for m in ("nb0.txt", "nb.txt"):
            loglik, temp = train.load_model(str(self.work / m))
            p.append(train.posterior(loglik, features(text), 1.0)[k])  # the fitted temperatures may differ
        print(f"P({self.new} | text of {self.gks}) without / with the approved records: {p}")
        self.assertGreater(p[1], p[0], f"P({self.new} | the corrected record's text) without / with: {p}")
        # The comparison: the same held-out documents, scored by both models.
        dev = c["without"]["sets"]["dev-corpus"]
        self.assertEqual((dev["documents"], c["with"]["sets"]["dev-corpus"]["documents"]), (55, 55))
        self.assertEqual(c["with"]["right"], fig["right"])
        self.assertIn("changed", fig["sets"]["dev-corpus"])
        self.assertIn("approved records: what they changed on the held-out sets (2 records, 1 corrected;", stdout)
        row = re.search(r"^  dev-corpus +55 +(\d+) \((\S+)\) +(\S+) +(\d+) \((\S+)\) +(\S+) +([+-]\d+) right, (\d+) predictions changed$",
                        stdout, re.M)
        self.assertIsNotNone(row, stdout)
        self.assertEqual((int(row[1]), int(row[4])), (dev["right"], fig["sets"]["dev-corpus"]["right"]))
        self.assertEqual(int(row[7]), fig["sets"]["dev-corpus"]["right"] - dev["right"])
        self.assertTrue((self.work / "reliability.png").exists())

    def test_several_out_folders_and_records_not_approved(self):
        other = du.copy_out(TMP, f"other-{self._testMethodName}")  # the batch before any desk work: nothing approved
        again = self.out.parent / f"again-{self._testMethodName}"
        shutil.copytree(self.out, again)  # the same approved records once more: trained on once
        stdout, fig = self.run_train(other, self.out, again)
        c = fig["approved_records"]
        self.assertEqual((c["approved"]["records"], c["approved"]["approved"], c["used"], c["approved"]["skipped_duplicate"]),
                         (3 * self.nrecords, 4, 2, 2), stdout)
        self.assertEqual(len(c["from_out"]), 3)
        self.assertEqual({r["out"] for r in c["records"]}, {str(self.out.resolve())})

    def test_a_held_out_out_is_never_trained_on(self):
        proc = subprocess.run(["/usr/bin/python3", str(TRAIN), "--truth", str(sohoa_run.SAMPLES / "truth.json"),
                               "--heldout", f"{DEV_TRUTH}:{self.out}", "--from-out", str(self.out),
                               "--out", str(self.work / "nb.txt"), "--figures", "", "--reliability", ""],
                              capture_output=True, text=True, timeout=600)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("2 approved at the desk, 0 used (0 with a doc_type the clerk corrected), 2 held out", proc.stdout)


    def test_refusals(self):
        before = committed()
        for args, says in [(["--from-out", str(self.out)], "give --truth"),
                           (["--truth", str(sohoa_run.SAMPLES / "truth.json"), "--from-out", str(self.work)], "not a sohoa OUT"),
                           (["--score", str(MODELS / "doctype_nb.txt"), "--from-out", str(self.out)], "not with --score")]:
            proc = subprocess.run(["/usr/bin/python3", str(TRAIN), *args, "--out", str(self.work / "nb.txt"),
                                   "--figures", "", "--reliability", ""], capture_output=True, text=True, timeout=600)
            self.assertNotEqual(proc.returncode, 0, args)
            self.assertIn(says, proc.stderr, args)
            self.assertFalse((self.work / "nb.txt").exists(), args)
        self.assertEqual(committed(), before)


if __name__ == "__main__":
    unittest.main()
