"""Every input keeps its own record (issue 17): the same file in two dossiers, twice in one dossier
under other names, names in NFC and NFD, a dossier folder given itself, a record removed behind
sohoa's back, a disk that fills up part-way; after every run, the summary's count is what
OUT/records holds and a rerun keeps exactly the same ids and files."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import unicodedata
import unittest
from pathlib import Path

from sohoa_run import BIN, SAMPLES, Output, fresh_dir, remove

SCANS = SAMPLES / "scans"
NFC_NAME = unicodedata.normalize("NFC", "giấy khai sinh.jpg")
NFD_NAME = unicodedata.normalize("NFD", "giấy khai sinh.jpg")
NFD_ONLY = unicodedata.normalize("NFD", "căn cước.png")


# Fixed dates: a record written again is byte for byte the same.
FIXED_DATES = dict(os.environ, SOURCE_DATE_EPOCH="1735689600")


def sohoa(*args, env=None):
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=1800, env=env or FIXED_DATES)


def record_files(out):
    """Every file under OUT/records with its SHA-256."""
    return {p.relative_to(out / "records").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((out / "records").rglob("*")) if p.is_file()}


class Identity(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = fresh_dir("identity")
        inp = cls.inp = cls.tmp / "in"
        for d in ("HS-000201", "HS-000202"):
            (inp / d).mkdir(parents=True)
        cccd, receipt = SCANS / "HS-000123/cccd-cha-me.jpg", SCANS / "HS-000123/bien-nhan.png"
        # One citizen's căn cước in two procedures (reusable), a receipt in both (single-use) and
        # twice in the first under another name; a file named in NFC and again in NFD (macOS).
        shutil.copy(cccd, inp / "HS-000201/cccd.jpg")
        shutil.copy(cccd, inp / "HS-000202/cccd.jpg")
        shutil.copy(receipt, inp / "HS-000201/bien-nhan.png")
        shutil.copy(receipt, inp / "HS-000201/bien-nhan (ban sao).png")
        shutil.copy(receipt, inp / "HS-000202/bien-nhan.png")
        shutil.copy(SCANS / "HS-000123/giay-khai-sinh.jpg", inp / "HS-000201" / NFC_NAME)
        shutil.copy(SCANS / "HS-000123/to-khai-khai-sinh.png", inp / "HS-000201" / NFD_NAME)
        shutil.copy(SCANS / "HS-000126/cmnd.png", inp / "HS-000202" / NFD_ONLY)
        # A loose file outside any dossier folder: records, but no package.
        shutil.copy(cccd, inp / "loose.jpg")
        cls.out = cls.tmp / "out"
        cls.first = cls.run_checked(cls, [inp], cls.out, codes=(3,))
        cls.first_files = record_files(cls.out)
        cls.first_output = Output(cls.out)

    @classmethod
    def tearDownClass(cls):
        remove(cls.tmp)

    def run_checked(self, inputs, out, *extra, codes=(0, 3)):
        proc = sohoa("run", *inputs, "-o", out, "-q", *extra)
        assert proc.returncode in codes, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        m = re.search(r"holds (\d+) records", proc.stdout)
        assert m, proc.stdout
        on_disk = len(list((Path(out) / "records").rglob("record.json")))
        assert int(m.group(1)) == on_disk, f"summary says {m.group(1)}, OUT/records holds {on_disk}\n{proc.stdout}"
        return proc

    def by_path(self, output=None):
        output = output or self.first_output
        return {r["source"]["path"]: r for r in output.records.values()}

    def test_same_file_in_two_dossiers_is_two_records_linked(self):
        recs = self.by_path()
        a, b = recs["HS-000201/cccd.jpg"], recs["HS-000202/cccd.jpg"]
        self.assertNotEqual(a["id"], b["id"])
        self.assertEqual(a["source"]["sha256"], b["source"]["sha256"])
        self.assertEqual((a["source"]["dossier"], b["source"]["dossier"]), ("HS-000201", "HS-000202"))
        self.assertIsNone(a["duplicate_of"])
        self.assertEqual(b["duplicate_of"], a["id"])
        self.assertEqual(recs["loose.jpg"]["duplicate_of"], a["id"])
        self.assertIsNone(recs["loose.jpg"]["source"]["dossier"])
        # Nine inputs, one refused (the NFD twin), eight records, none lost.
        self.assertEqual(self.first_output.batch["records"], 8)
        self.assertEqual(len(self.first_output.records), 8)
        self.assertIn("8 records (8 written now, 0 kept from an earlier run)", self.first.stdout)

    def test_twice_in_one_dossier_under_other_names(self):
        recs = self.by_path()
        a, b = recs["HS-000201/bien-nhan (ban sao).png"], recs["HS-000201/bien-nhan.png"]
        self.assertNotEqual(a["id"], b["id"])
        self.assertEqual(b["duplicate_of"], a["id"])  # "bien-nhan (ban sao)" sorts first
        self.assertEqual(recs["HS-000202/bien-nhan.png"]["duplicate_of"], a["id"])
        self.assertEqual((self.out / "records" / b["id"] / "text.txt").read_text(encoding="utf-8"),
                         (self.out / "records" / a["id"] / "text.txt").read_text(encoding="utf-8"))

    def test_nfc_and_nfd_names(self):
        recs = self.by_path()
        for rec in recs.values():
            self.assertEqual(rec["source"]["path"], unicodedata.normalize("NFC", rec["source"]["path"]))
        self.assertIn("HS-000202/" + unicodedata.normalize("NFC", NFD_ONLY), recs)
        # The NFC file is read; its NFD twin is an error entry, not an overwrite.
        kept = recs["HS-000201/" + NFC_NAME]
        self.assertEqual(kept["source"]["sha256"],
                         hashlib.sha256((SCANS / "HS-000123/giay-khai-sinh.jpg").read_bytes()).hexdigest())
        errors = self.first_output.batch["errors"]
        self.assertEqual([e["path"] for e in errors], ["HS-000201/" + NFC_NAME])
        self.assertIn("decomposed, NFD", errors[0]["reason"])
        self.assertIn("HS-000201/" + NFC_NAME, self.first.stderr)

    def test_packages_archive_identical_content_once(self):
        import zipfile
        def names(code):
            with zipfile.ZipFile(self.out / "packages" / f"{code}.zip") as z:
                return [n.split("/")[-1] for n in z.namelist()]
        self.assertEqual(sorted(p.name for p in (self.out / "packages").glob("*.zip")), ["HS-000201.zip", "HS-000202.zip"])
        recs = self.by_path()
        for code in ("HS-000201", "HS-000202"):
            held = names(code)
            with zipfile.ZipFile(self.out / "packages" / f"{code}.zip") as z:
                descs = {n.split("/")[-1][:-5]: json.loads(z.read(n)) for n in z.namelist()
                         if "/descriptive/" in n and n.endswith(".json")}
            for name, rec in descs.items():
                has_files = f"{name}.txt" in held
                if rec["duplicate_of"] is None:
                    self.assertTrue(has_files, name)
                    continue
                first = next(r for r in recs.values() if r["id"] == rec["duplicate_of"])
                same_dossier = first["source"]["dossier"] == code
                # Archived once in a dossier; a reusable document once in all; a single-use form
                # belongs to its dossier.
                self.assertEqual(has_files, not (same_dossier or rec["class"] == "reusable"), (code, name, rec["class"]))
                if not has_files:
                    with zipfile.ZipFile(self.out / "packages" / f"{code}.zip") as z:
                        xml = z.read(f"{code}/data/metadata/descriptive/{name}.xml").decode("utf-8")
                    self.assertIn(f'ma="ban_luu_tai"', xml)
                    self.assertIn(f"packages/{first['source']['dossier']}.zip", xml)
        self.assertEqual(recs["HS-000202/cccd.jpg"]["class"], "reusable")
        self.assertIn("no package for the records of 1 input(s) outside any dossier folder", self.first.stdout)
        self.assertIn("loose.jpg", self.first.stdout)
        r = sohoa("verify", self.out)
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_report_links_copies(self):
        html = (self.out / "report.html").read_text(encoding="utf-8")
        recs = self.by_path()
        b = recs["HS-000202/cccd.jpg"]
        self.assertIn(f'id="{b["id"]}" data-review="', html)
        self.assertIn(f'data-duplicate-of="{b["duplicate_of"]}"', html)
        self.assertIn(f'href="#{b["duplicate_of"]}"', html)
        self.assertIn(f'href="#{b["id"]}"', html)  # the first copy lists its copies

    @unittest.skipUnless(shutil.which("chromium"), "chromium not installed (Debian package chromium)")
    def test_report_links_resolve_in_chromium(self):
        import html as htmllib
        import tempfile
        probe = """<script>window.__errors=[];window.addEventListener('error',function(e){__errors.push(String(e.message))});
</script>""", """<script>(function(){
  var links=[].map.call(document.querySelectorAll('tr.duplicate a'),function(a){
    var t=document.getElementById(a.getAttribute('href').slice(1));
    return {from:a.closest('article').id,to:a.getAttribute('href').slice(1),found:!!t,text:a.textContent};});
  var pre=document.createElement('pre');pre.id='probe';pre.textContent=JSON.stringify({links:links,errors:__errors});
  document.body.appendChild(pre);})();</script>"""
        page = (self.out / "report.html").read_text(encoding="utf-8")
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "report.html"
            f.write_text(page.replace("<head>", "<head>" + probe[0], 1).replace("</body>", probe[1] + "</body>"), encoding="utf-8")
            r = subprocess.run([shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--disable-background-networking", f"--user-data-dir={tmp}/profile",
                                "--virtual-time-budget=5000", "--dump-dom", f.as_uri()], capture_output=True, text=True,
                               timeout=180)
        m = re.search(r'<pre id="probe">(.*?)</pre>', r.stdout, re.S)
        self.assertTrue(m, r.stderr[-2000:])
        got = json.loads(htmllib.unescape(m.group(1)))
        self.assertEqual(got["errors"], [])
        recs = self.by_path()
        first_of = {r["id"]: r["duplicate_of"] for r in recs.values() if r["duplicate_of"]}
        # Every copy links to its first copy, every first copy to each copy, and every link lands.
        want = sorted([(c, f) for c, f in first_of.items()] + [(f, c) for c, f in first_of.items()])
        self.assertEqual(sorted((l["from"], l["to"]) for l in got["links"]), want)
        self.assertTrue(all(l["found"] for l in got["links"]), got["links"])
        self.assertIn("HS-000201.", " ".join(l["text"] for l in got["links"]))

    def test_rerun_keeps_the_same_ids_and_files(self):
        again = self.run_checked([self.inp], self.out, codes=(3,))
        self.assertIn("8 records (0 written now, 8 kept from an earlier run)", again.stdout)
        self.assertEqual(record_files(self.out), self.first_files)
        self.assertEqual(Output(self.out).batch["inputs_resumed"], 8)
        # The dossier folder given itself: the same ids (its paths start with its code), its package.
        # Its căn cước and receipt have no first copy in this batch any more, so these two records
        # are written again without duplicate_of.
        alone = self.run_checked([self.inp / "HS-000202"], self.out, codes=(0,))
        self.assertIn("2 written now, 1 kept from an earlier run, 5 of inputs not in this batch", alone.stdout)
        self.assertIn("1 packages written", alone.stdout)
        self.assertNotIn("no package", alone.stdout)
        self.assertEqual(sorted(record_files(self.out)), sorted(self.first_files))
        self.assertIsNone(self.by_path(Output(self.out))["HS-000202/cccd.jpg"]["duplicate_of"])
        r = sohoa("verify", self.out)
        self.assertEqual(r.returncode, 0, r.stdout)
        # Back to the whole batch: the link again, the same ids.
        back = self.run_checked([self.inp], self.out, codes=(3,))
        self.assertIn("2 written now, 6 kept from an earlier run", back.stdout)
        self.assertEqual(sorted(record_files(self.out)), sorted(self.first_files))
        recs = self.by_path(Output(self.out))
        self.assertEqual(recs["HS-000202/cccd.jpg"]["duplicate_of"], recs["HS-000201/cccd.jpg"]["id"])

    def test_removed_record_is_named_by_verify_and_redone(self):
        out = self.tmp / "removed"
        shutil.copytree(self.out, out)
        victim = self.by_path()["HS-000202/cccd.jpg"]["id"]
        shutil.rmtree(out / "records" / victim)
        r = sohoa("verify", out)
        self.assertEqual(r.returncode, 5, r.stdout)
        self.assertIn(f"records/{victim}: record folder missing (batch.json lists it for HS-000202/cccd.jpg)", r.stdout)
        self.assertIn(f"records/{victim}: in the catalog but missing on disk", r.stdout)
        again = self.run_checked([self.inp], out, codes=(3,))
        self.assertIn("8 records (1 written now, 7 kept from an earlier run)", again.stdout)
        self.assertEqual(sorted(record_files(out)), sorted(self.first_files))
        self.assertEqual(sohoa("verify", out).returncode, 0)

    def test_the_run_checks_itself(self):
        """A record overwritten by another input's behind sohoa's back ends the run with an error naming it."""
        out = self.tmp / "self-check"
        shutil.copytree(self.out, out)
        victim = self.by_path()["HS-000201/cccd.jpg"]["id"]
        # Its done marker and record.json are in place, so it is not redone; the check finds that the
        # record.json is another input's.
        other = self.by_path()["HS-000202/cccd.jpg"]["id"]
        shutil.copy(out / "records" / other / "record.json", out / "records" / victim / "record.json")
        r = sohoa("run", self.inp, "-o", out, "-q")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"records/{victim}: record.json is of HS-000202/cccd.jpg, batch.json lists it for HS-000201/cccd.jpg",
                      r.stderr)
        self.assertIn("does not agree with what this batch wrote", r.stderr)


def can_mount_tmpfs(where):
    if os.geteuid() != 0 or os.environ.get("SOHOA_TEST_NO_MOUNT"):
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                          capture_output=True).returncode == 0 and \
        subprocess.run(["umount", str(where)]).returncode == 0


class FullDisk(unittest.TestCase):
    """The disk fills up part-way: no half record, a clear error, and a rerun completes the batch."""

    def test_full_disk_then_rerun(self):
        tmp = fresh_dir("enospc")
        try:
            inp = tmp / "in" / "HS-000301"
            inp.mkdir(parents=True)
            for name in ("HS-000123/bien-nhan.png", "HS-000123/giay-khai-sinh.jpg", "HS-000124/gcn-ket-hon.jpg",
                         "HS-000125/don-xin-gpxd.png"):
                shutil.copy(SCANS / name, inp / Path(name).name)
            reference = tmp / "reference"
            subprocess.run([BIN, "run", str(tmp / "in"), "-o", str(reference), "-q", "-j", "1"], check=True,
                           capture_output=True)
            total = sum(p.stat().st_size for p in reference.rglob("*") if p.is_file())
            mnt = tmp / "mnt"
            mnt.mkdir()
            out = mnt / "out"
            env = dict(os.environ)
            mounted = can_mount_tmpfs(mnt)
            if mounted:
                subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={total // 3}", "tmpfs", str(mnt)], check=True)
                how = "tmpfs"
            else:
                shim = os.environ.get("SOHOA_ENOSPC_SHIM")
                self.assertTrue(shim and Path(shim).exists(), "no tmpfs and no ENOSPC shim")
                env.update(LD_PRELOAD=shim, SOHOA_ENOSPC_DIR=str(mnt), SOHOA_ENOSPC_AFTER=str(total // 3))
                how = "LD_PRELOAD shim"
            try:
                full = subprocess.run([BIN, "run", str(tmp / "in"), "-o", str(out), "-q", "-j", "1"],
                                      capture_output=True, text=True, env=env, timeout=1800)
                self.assertEqual(full.returncode, 1, f"{how}: {full.stdout}{full.stderr}")
                self.assertRegex(full.stderr, r"No space left on device|disk is full", how)
                # No half record: every record folder under its final name is whole.
                recs = [d for d in (out / "records").iterdir() if ".tmp-" not in d.name] if (out / "records").exists() else []
                self.assertLess(len(recs), 4, f"{how}: the disk filled after every record")
                for d in recs:
                    rec = json.loads((d / "record.json").read_text(encoding="utf-8"))
                    self.assertEqual(rec["id"], d.name)
                    self.assertTrue((d / "text.txt").exists() and (d / "alto.xml").exists())
                    check = subprocess.run(["qpdf", "--check", str(d / "document.pdf")], capture_output=True)
                    self.assertEqual(check.returncode, 0, d)
                self.assertEqual([p for p in out.rglob("*") if ".tmp-" in p.name], [])
                # Space again: the rerun completes the batch with the same records as the reference.
                if mounted:
                    subprocess.run(["mount", "-o", f"remount,size={total * 4}", str(mnt)], check=True)
                else:
                    env["SOHOA_ENOSPC_AFTER"] = str(total * 100)
                again = subprocess.run([BIN, "run", str(tmp / "in"), "-o", str(out), "-q", "-j", "1"],
                                       capture_output=True, text=True, env=env, timeout=1800)
                self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
                m = re.search(r"holds (\d+) records", again.stdout)
                self.assertEqual(int(m.group(1)), len(list((out / "records").rglob("record.json"))))
                self.assertEqual(sorted(p.name for p in (out / "records").iterdir()),
                                 sorted(p.name for p in (reference / "records").iterdir()))
                verify = subprocess.run([BIN, "verify", str(out)], capture_output=True, text=True, env=env)
                self.assertEqual(verify.returncode, 0, verify.stdout)
            finally:
                if mounted:
                    subprocess.run(["umount", str(mnt)])
        finally:
            remove(tmp)


if __name__ == "__main__":
    unittest.main()
