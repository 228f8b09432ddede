"""What a clerk sees at the command line: help, usage errors, exit codes, bad inputs."""
import json
import shutil
import subprocess
import unittest
from pathlib import Path

from sohoa_run import BIN, SAMPLES, Output, fresh_dir, remove, run


class Cli(unittest.TestCase):
    def test_help_teaches(self):
        top = subprocess.run([BIN, "--help"], capture_output=True, text=True)
        self.assertEqual(top.returncode, 0)
        self.assertIn("run", top.stdout)
        self.assertIn("Exit status", top.stdout)
        sub = subprocess.run([BIN, "run", "--help"], capture_output=True, text=True)
        self.assertEqual(sub.returncode, 0)
        for word in ("INPUT", "--out", "--jobs", "Example"):
            self.assertIn(word, sub.stdout)

    def test_usage_errors_exit_2(self):
        self.assertEqual(subprocess.run([BIN], capture_output=True).returncode, 2)
        self.assertEqual(subprocess.run([BIN, "run", str(SAMPLES / "scans")], capture_output=True).returncode, 2)
        self.assertEqual(subprocess.run([BIN, "run", "/no/such/folder", "-o", "/tmp/x"],
                                        capture_output=True).returncode, 2)

    def test_a_folder_without_scans_says_so(self):
        d = fresh_dir("noscans")
        try:
            (d / "in" / "HS-000301").mkdir(parents=True)
            (d / "in" / "HS-000301" / ".DS_Store").write_bytes(b"\0")
            proc = run([d / "in"], d / "out", "-q")
            self.assertEqual(proc.returncode, 0)  # a nightly job over a share with nothing new is no failure
            self.assertIn(f"no scans found in {d / 'in'}", proc.stdout)
        finally:
            remove(d)

    def test_unwritable_output_exits_1_with_reason(self):
        d = fresh_dir("ro")
        try:
            (d / "a-file").write_text("x")
            proc = subprocess.run([BIN, "run", str(SAMPLES / "bad"), "-o", str(d / "a-file" / "out"), "-q"],
                                  capture_output=True, text=True)
            self.assertEqual(proc.returncode, 1)
            self.assertIn("output folder", proc.stderr)
        finally:
            remove(d)


class BadInputs(unittest.TestCase):
    """Every broken file becomes an error entry naming it; good files beside them still come out."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = fresh_dir("bad")
        cls.inp = cls.tmp / "in"
        shutil.copytree(SAMPLES / "bad", cls.inp / "HS-BAD")
        cls.expected = json.loads((SAMPLES / "bad-truth.json").read_text(encoding="utf-8"))
        # One good scan in the same batch proves the batch goes on.
        truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
        good = next(i for i in truth["inputs"] if i["member"] is None and i["page_count"] == 1
                    and not i.get("stack"))
        cls.good_path = "HS-GOOD/" + Path(good["path"]).name
        (cls.inp / "HS-GOOD").mkdir()
        shutil.copy(SAMPLES / "scans" / good["path"], cls.inp / cls.good_path)
        cls.proc = run([cls.inp], cls.tmp / "out", "-q")
        cls.output = Output(cls.tmp / "out")

    @classmethod
    def tearDownClass(cls):
        remove(cls.tmp)

    def test_exit_status_says_some_inputs_were_not_read(self):
        self.assertEqual(self.proc.returncode, 3, self.proc.stderr)

    def test_every_bad_file_is_an_error_with_a_reason(self):
        errors = {e["path"]: e for e in self.output.batch["errors"]}
        bad_files = sorted(p.name for p in (self.inp / "HS-BAD").iterdir())
        self.assertTrue(bad_files)
        for name in bad_files:
            path = f"HS-BAD/{name}"
            self.assertIn(path, errors, f"{path} is not in errors: {self.output.batch['errors']}")
            reason = errors[path]["reason"]
            self.assertGreater(len(reason), 10)
            self.assertIn(path, self.proc.stderr)
        self.assertFalse(any(r["source"]["path"].startswith("HS-BAD/") for r in self.output.records.values()))

    def test_reasons_a_clerk_understands(self):
        errors = {Path(e["path"]).name: e["reason"].lower() for e in self.output.batch["errors"]}
        for name, reason in errors.items():
            if name.startswith("empty"):
                self.assertIn("empty", reason)
            if name.startswith("encrypted"):
                self.assertIn("password", reason)
            if name.startswith("not-an-image"):
                self.assertIn("not a scan", reason)

    def test_good_input_beside_bad_ones_is_written(self):
        recs = self.output.records_of(self.good_path)
        self.assertEqual(len(recs), 1)
        self.assertTrue((recs[0]["_dir"] / "document.pdf").exists())
        self.assertGreater(len(self.output.page_texts(recs[0])[0]), 50)

    def test_no_temporary_files_left(self):
        leftovers = [p for p in (self.tmp / "out").rglob("*") if ".tmp-" in p.name]
        self.assertEqual(leftovers, [])


if __name__ == "__main__":
    unittest.main()
