"""A run killed at random moments and started again finishes the work, losing and duplicating nothing."""
import json
import random
import re
import shutil
import signal
import subprocess
import time
import unittest
import zipfile
from xml.etree import ElementTree

from sohoa_run import BIN, SAMPLES, Output, fresh_dir, remove, run


class Resume(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = fresh_dir("resume")
        cls.inp = cls.tmp / "in"
        # A handful of one-page inputs in two dossiers keeps each run short; four kills at random
        # moments still land in ingest, OCR, writing a record and writing the done markers.
        truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
        singles = [e["path"] for e in truth["inputs"] if e["member"] is None and e["page_count"] == 1][:6]
        for path in singles:
            (cls.inp / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(SAMPLES / "scans" / path, cls.inp / path)
        run([cls.inp], cls.tmp / "reference", "-q")
        cls.reference = Output(cls.tmp / "reference")

    @classmethod
    def tearDownClass(cls):
        remove(cls.tmp)

    TEMP_NAME = re.compile(r"\.tmp-\d+$")

    def assert_whole(self, path):
        """A file is whole when its format's own reader accepts all of it."""
        name = self.TEMP_NAME.sub("", path.name)
        data = path.read_bytes()
        if name.endswith(".json") or path.parent.name == "done":
            json.loads(data.decode("utf-8"))
        elif name.endswith(".pdf"):
            check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True)
            self.assertEqual(check.returncode, 0, f"half-written: {path}")
        elif name.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                self.assertIsNone(z.testzip(), f"half-written: {path}")
        elif name.endswith((".xml", ".html")):
            text = data.decode("utf-8")
            self.assertTrue(text.rstrip().endswith(">"), f"half-written: {path}")
            if name.endswith(".xml"):
                ElementTree.fromstring(data)
        elif name.endswith(".txt"):
            data.decode("utf-8")

    def assert_no_half_written_files(self, out, just_killed=False):
        """No file anywhere in OUT is half-written, whatever moment the kill hit: each is written
        unnamed and named only once flushed. Right after a kill, a record still being assembled
        may sit in a staging folder under a temporary name, holding only whole files; once a run
        has finished, nothing with a temporary name may be left."""
        for p in out.rglob("*"):
            if not just_killed:
                self.assertNotIn(".tmp-", p.name, f"left behind: {p}")
            if p.is_file() and not p.name.startswith("catalog.sqlite"):  # SQLite keeps its own journal
                self.assert_whole(p)
        for rec_dir in (out / "records").iterdir() if (out / "records").exists() else []:
            if just_killed and self.TEMP_NAME.search(rec_dir.name):
                continue
            rec = json.loads((rec_dir / "record.json").read_text(encoding="utf-8"))
            self.assertTrue((rec_dir / "text.txt").exists())
            if not all(p["blank"] for p in rec["pages"]):
                self.assertTrue((rec_dir / "document.pdf").exists(), rec_dir)

    def test_killed_runs_finish_without_loss_or_duplicates(self):
        out = self.tmp / "killed"
        rng = random.Random(20261128)
        for _ in range(4):
            proc = subprocess.Popen([BIN, "run", str(self.inp), "-o", str(out), "-q"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.3, 4.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if out.exists():
                # Whatever moment the kill hit, what is in OUT under a final name is whole.
                self.assert_no_half_written_files(out, just_killed=True)
        final = run([self.inp], out, "-q")
        self.assertEqual(final.returncode, 0, final.stderr)
        self.assert_no_half_written_files(out)
        done = Output(out)
        self.assertEqual(sorted(done.records), sorted(self.reference.records))
        self.assertEqual(done.batch["records"], self.reference.batch["records"])
        for name, rec in done.records.items():
            self.assertEqual(rec["source"], self.reference.records[name]["source"])

    def test_finished_inputs_are_not_redone(self):
        out = self.tmp / "twice"
        run([self.inp], out, "-q")
        again = run([self.inp], out, "-q")
        self.assertEqual(again.returncode, 0)
        batch = Output(out).batch
        self.assertEqual(batch["inputs_resumed"], batch["inputs"])
        self.assertEqual(batch["pages_processed"], 0)

    def test_an_earlier_output_among_the_scans_is_not_read_again(self):
        """A nightly job that once wrote its output into the scan share (as a sub-folder, or into
        the share itself) reads the scans again, not sohoa's own PDFs, originals and records."""
        share = self.tmp / "share"
        shutil.copytree(self.inp, share)
        shutil.copytree(self.tmp / "reference", share / "sohoa-out")
        for name in ("records", "originals", "packages", "batch.json", "catalog.sqlite", "report.html"):
            shutil.copytree(self.tmp / "reference" / name, share / name) if (self.tmp / "reference" / name).is_dir() \
                else shutil.copy(self.tmp / "reference" / name, share / name)
        (share / ".sohoa.lock").touch()
        out = self.tmp / "share-out"
        result = run([share], out, "-q")
        self.assertEqual(result.returncode, 0, result.stderr)
        batch = Output(out).batch
        self.assertEqual(batch["errors"], [])
        self.assertEqual(batch["inputs"], self.reference.batch["inputs"])
        self.assertEqual(len(Output(out).records), len(self.reference.records))
        self.assertEqual(sorted(batch["skipped_outputs"]), [str(share), "sohoa-out"])
        self.assertIn("were not read as scans", result.stdout)

    def test_second_run_on_the_same_output_stops_at_once(self):
        out = self.tmp / "busy"
        first = subprocess.Popen([BIN, "run", str(self.inp), "-o", str(out), "-q"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1.0)
            started = time.monotonic()
            second = subprocess.run([BIN, "run", str(self.inp), "-o", str(out), "-q"], capture_output=True,
                                    text=True, timeout=60)
            self.assertLess(time.monotonic() - started, 5)
            self.assertEqual(second.returncode, 4)
            self.assertIn("another sohoa run", second.stderr)
        finally:
            first.kill()
            first.wait()


if __name__ == "__main__":
    unittest.main()
