"""The archive across batches through the real binary: `sohoa run --archive`, `sohoa archive add`,
`sohoa lookup` and `sohoa archive search`, on an SQLite file and on a real PostgreSQL started for
the test (tests/tools/pg_temp.sh). With CI=true a PostgreSQL that cannot start fails the test."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import unicodedata
from pathlib import Path

import sohoa_run

PG_TEMP = sohoa_run.ROOT / "tests" / "tools" / "pg_temp.sh"


def sohoa(*args, env=None):
    return subprocess.run([sohoa_run.BIN, *map(str, args)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


def fold(s):
    s = unicodedata.normalize("NFD", s).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


class ArchiveCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="sohoa-e2e-archive-"))
        cls.sqlite = cls.tmp / "archive.sqlite"
        cls.out = cls.tmp / "out"
        # One dossier with reusable cards and certificates, archived as part of the run.
        cls.run_proc = sohoa_run.run([sohoa_run.SAMPLES / "scans" / "HS-000124"], cls.out, "-q", "--archive", cls.sqlite)
        cls.output = sohoa_run.Output(cls.out)
        cls.pg_url, cls.pg_problem = None, None
        pg_dir = cls.tmp / "pg"
        proc = subprocess.run(["bash", str(PG_TEMP), "start", str(pg_dir)], capture_output=True, text=True, timeout=120)
        if proc.returncode == 0:
            cls.pg_url = proc.stdout.strip()
            cls.pg_dir = pg_dir
        else:
            cls.pg_problem = proc.stderr

    @classmethod
    def tearDownClass(cls):
        if cls.pg_url:
            subprocess.run(["bash", str(PG_TEMP), "stop", str(cls.pg_dir)], capture_output=True)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def urls(self):
        """Both back ends: the SQLite file the run wrote, and PostgreSQL (the same OUT added)."""
        yield "sqlite", str(self.sqlite)
        if not self.pg_url:
            if os.environ.get("CI") == "true":
                self.fail("CI=true and PostgreSQL cannot start: " + (self.pg_problem or ""))
            return
        if not getattr(type(self), "pg_added", False):
            init = sohoa("archive", "init", "--archive", self.pg_url)
            self.assertEqual(init.returncode, 0, init.stderr)
            add = sohoa("archive", "add", self.out, "--archive", self.pg_url)
            self.assertEqual(add.returncode, 0, add.stderr)
            type(self).pg_added = True
        yield "postgresql", self.pg_url

    def reusable_with_id(self):
        recs = [r for r in self.output.records.values()
                if r["class"] == "reusable" and r["metadata"].get("so_dinh_danh") and r["metadata"].get("ho_ten")]
        self.assertTrue(recs, "HS-000124 has no reusable record with a số định danh")
        return recs[0]

    def test_run_archives_the_reusable_records_only(self):
        self.assertIn("sohoa: archive (sqlite):", self.run_proc.stdout)
        reusable = sum(1 for r in self.output.records.values() if r["class"] == "reusable")
        single = sum(1 for r in self.output.records.values() if r["class"] == "single_use")
        self.assertIn(f"{single} single-use record(s) stay in their package", self.run_proc.stdout)
        # Different documents, some of one template: none taken for another's duplicate.
        self.assertIn("(0 linked as duplicate_of an earlier one)", self.run_proc.stdout)
        for name, url in self.urls():
            res = sohoa("archive", "search", "--archive", url, "--json")
            docs = json.loads(res.stdout)
            self.assertEqual(len(docs), reusable, name)
            self.assertTrue(all(d["package"].endswith("packages/HS-000124.zip") for d in docs))

    def test_lookup_by_id_and_by_name_without_diacritics(self):
        rec = self.reusable_with_id()
        md = rec["metadata"]
        for name, url in self.urls():
            res = sohoa("lookup", "--id", md["so_dinh_danh"], "--archive", url, "--json", "--who", "e2e-clerk")
            self.assertEqual(res.returncode, 0, name + res.stderr)
            docs = json.loads(res.stdout)
            self.assertIn(rec["id"], [d["record"] for d in docs], name)
            d = next(d for d in docs if d["record"] == rec["id"])
            self.assertEqual(d["doc_type"], rec["doc_type"])
            self.assertEqual(d["so_dinh_danh"], md["so_dinh_danh"])
            # Found as the person under ho_ten, with the role the catalogue gives that field.
            self.assertEqual(d["person"]["field"], "ho_ten", name)
            self.assertEqual(d["person"]["so_dinh_danh"], md["so_dinh_danh"], name)
            self.assertTrue(d["person"]["role"], name)
            zip_path = Path(d["package"])
            import hashlib
            self.assertEqual(d["package_sha256"], hashlib.sha256(zip_path.read_bytes()).hexdigest())
            self.assertEqual(d["record_sha256"], hashlib.sha256((rec["_dir"] / "record.json").read_bytes()).hexdigest())
            self.assertIn(d["validity"], ("valid", "expired", "unknown", "superseded"))
            args = ["lookup", "--name", fold(md["ho_ten"]).upper(), "--archive", url, "--json"]
            if md.get("ngay_sinh"):
                args += ["--born", md["ngay_sinh"]]
            res = sohoa(*args)
            self.assertEqual(res.returncode, 0, name + res.stderr)
            self.assertIn(rec["id"], [d["record"] for d in json.loads(res.stdout)], name)
            # The first page only, and a line saying there is more (on stderr with --json).
            args = ["lookup", "--name", md["ho_ten"], "--archive", url]
            every = json.loads(sohoa(*args, "--json", "--limit", "0").stdout)
            if len(every) > 1:
                page = sohoa(*args, "--json", "--limit", "1")
                self.assertEqual(len(json.loads(page.stdout)), 1, name)
                self.assertIn("more match", page.stderr, name)
            self.assertNotIn("more match", sohoa(*args, "--limit", str(len(every))).stdout, name)
            none = sohoa("lookup", "--id", "000000000000", "--archive", url)
            self.assertEqual(none.returncode, 6, name)
            self.assertIn("0 document(s)", none.stdout)

    def test_adding_the_same_out_again_changes_nothing(self):
        for name, url in self.urls():
            before = json.loads(sohoa("archive", "search", "--archive", url, "--json").stdout)
            res = sohoa("archive", "add", self.out, "--archive", url)
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertIn("0 package(s) added, 1 already there; 0 record(s) added", res.stdout, name)
            after = json.loads(sohoa("archive", "search", "--archive", url, "--json").stdout)
            self.assertEqual(before, after, name)

    def test_the_same_scans_in_another_dossier_are_linked_not_archived_again(self):
        again = self.tmp / "again-in" / "HS-000999"
        again.mkdir(parents=True)
        for f in ("xac-nhan-tthn.tif", "cccd.zip"):
            shutil.copy(sohoa_run.SAMPLES / "scans" / "HS-000124" / f, again / f)
        out2 = self.tmp / "again-out"
        sohoa_run.run([again], out2, "-q")
        reusable = [r for r in sohoa_run.Output(out2).records.values() if r["class"] == "reusable"]
        self.assertTrue(reusable)
        for name, url in self.urls():
            res = sohoa("archive", "add", out2, "--archive", url)
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertIn(f"{len(reusable)} record(s) added ({len(reusable)} linked as duplicate_of", res.stdout, name)
            md = next(r for r in reusable if r["metadata"].get("so_dinh_danh"))["metadata"]
            docs = json.loads(sohoa("lookup", "--id", md["so_dinh_danh"], "--archive", url, "--json").stdout)
            dups = [d for d in docs if d["dossier"] == "HS-000999"]
            self.assertTrue(dups and all(d["duplicate_of"] for d in dups), name)
            originals = {d["uid"]: d for d in docs if d["dossier"] == "HS-000124"}
            self.assertTrue(all(d["duplicate_of"] in originals for d in dups), name)

    def test_bad_urls_are_clear_errors_and_write_nothing(self):
        for url, words in [("ftp://example.org/archive", "unknown scheme"),
                           ("postgresql://sohoa@/archive?host=/nonexistent-sohoa&port=1", "cannot reach archive"),
                           ("postgresql://u@h/db?nosuch=1", "malformed archive URL"),
                           (str(self.tmp / "missing" / "a.sqlite"), "does not exist")]:
            res = sohoa("archive", "add", self.out, "--archive", url)
            self.assertEqual(res.returncode, 1, url)
            self.assertIn(words, res.stderr, url)
            self.assertNotIn("internal error", res.stderr)
        self.assertFalse((self.tmp / "missing").exists())
        # A run with a bad archive stops before it reads or writes anything.
        out = self.tmp / "never"
        res = sohoa("run", sohoa_run.SAMPLES / "scans" / "HS-000124", "-o", out, "-q", "--archive", "ftp://x/y")
        self.assertEqual(res.returncode, 1)
        self.assertIn("unknown scheme", res.stderr)
        self.assertFalse(out.exists())


if __name__ == "__main__":
    unittest.main()
