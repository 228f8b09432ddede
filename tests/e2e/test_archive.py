"""Archive packages, catalog, verification and report over the sample dossiers (issue 5)."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import zipfile
from pathlib import Path

import sohoa_run

SHARED = Path(os.environ.get("SOHOA_SHARED", sohoa_run.ROOT.parent / "shared"))
SCHEMAS = SHARED / "schemas"
OUT = None


def setUpModule():
    global OUT
    OUT = sohoa_run.fresh_dir("archive")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1735689600")
    proc = subprocess.run([sohoa_run.BIN, "run", str(sohoa_run.SAMPLES / "scans"), "-o", str(OUT), "-q"],
                          capture_output=True, text=True, env=env, timeout=1800)
    assert proc.returncode in (0, 3), proc.stderr


def tearDownModule():
    sohoa_run.remove(OUT)


def sohoa(*args):
    return subprocess.run([sohoa_run.BIN, *map(str, args)], capture_output=True, text=True, timeout=600)


def dossiers():
    return sorted(d.name for d in (sohoa_run.SAMPLES / "scans").iterdir() if d.is_dir())


class Packages(unittest.TestCase):
    def test_one_package_per_dossier(self):
        self.assertEqual(sorted(p.stem for p in (OUT / "packages").glob("*.zip")), dossiers())
        self.assertEqual(list((OUT / "packages").glob(".*")), [])  # no temporary left

    def test_bag_checks_with_independent_tools(self):
        for zpath in sorted((OUT / "packages").glob("*.zip")):
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run(["unzip", "-q", str(zpath), "-d", tmp], check=True)
                bag = Path(tmp) / zpath.stem
                for manifest, tool in [("manifest-sha256.txt", "sha256sum"), ("manifest-sha512.txt", "sha512sum"),
                                       ("tagmanifest-sha256.txt", "sha256sum")]:
                    r = subprocess.run([tool, "-c", "--strict", manifest], cwd=bag, capture_output=True, text=True)
                    self.assertEqual(r.returncode, 0, f"{zpath.name} {manifest}: {r.stdout}{r.stderr}")
                info = (bag / "bag-info.txt").read_text(encoding="utf-8")
                self.assertIn(f"External-Identifier: {zpath.stem}\n", info)
                self.assertIn("Bagging-Date: 2025-01-01\n", info)
                self.assertRegex(info, r"Bag-Software-Agent: sohoa \S+")
                payload = [p for p in (bag / "data").rglob("*") if p.is_file()]
                oxum = f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
                self.assertIn(f"Payload-Oxum: {oxum}\n", info)
                self.assertEqual((bag / "bagit.txt").read_text(), "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
                # Every payload file is in METS with its size and SHA-256.
                import hashlib
                import xml.etree.ElementTree as ET
                M, XL = "{http://www.loc.gov/METS/}", "{http://www.w3.org/1999/xlink}href"
                root = ET.parse(bag / "data" / "METS.xml").getroot()
                listed = {}
                for ref in root.iter(M + "mdRef"):
                    listed[ref.get(XL)] = (ref.get("SIZE"), ref.get("CHECKSUM"))
                for f in root.iter(M + "file"):
                    listed[f.find(M + "FLocat").get(XL)] = (f.get("SIZE"), f.get("CHECKSUM"))
                actual = {p.relative_to(bag / "data").as_posix(): (str(p.stat().st_size), hashlib.sha256(p.read_bytes()).hexdigest())
                          for p in payload if p.name != "METS.xml"}
                self.assertEqual(listed, actual, zpath.name)
                rep = sorted(p.name for p in (bag / "data/representations/rep1/data").iterdir())
                self.assertIn(f"{zpath.stem}.1.pdf", rep)
                self.assertIn(f"{zpath.stem}.1.alto.xml", rep)
                self.assertIn(f"{zpath.stem}.1.txt", rep)
                premis = (bag / "data/metadata/preservation/premis.xml").read_text(encoding="utf-8")
                for event in ("ingestion", "text recognition", "classification"):
                    self.assertIn(f"<premis:eventType>{event}</premis:eventType>", premis)
                self.assertIn("Tesseract OCR", premis)

    @unittest.skipUnless((SCHEMAS / "mets-1.12.1.xsd").exists(), f"schemas not found in {SCHEMAS} (set SOHOA_SHARED)")
    def test_mets_and_alto_valid_against_their_schemas(self):
        with tempfile.TemporaryDirectory() as tmp:
            for zpath in sorted((OUT / "packages").glob("*.zip")):
                subprocess.run(["unzip", "-q", str(zpath), "-d", tmp], check=True)
            mets = sorted(Path(tmp).glob("*/data/METS.xml"))
            alto = sorted(Path(tmp).glob("*/data/representations/rep1/data/*.alto.xml"))
            alto += sorted((OUT / "records").glob("*/alto.xml"))
            self.assertEqual(len(mets), len(dossiers()))
            for schema, files in [("mets-1.12.1.xsd", mets), ("alto-3-1.xsd", alto)]:
                r = subprocess.run(["xmllint", "--nonet", "--noout", "--schema", str(SCHEMAS / schema), *map(str, files)],
                                   capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, r.stderr[-3000:])

    def test_deterministic_with_source_date_epoch(self):
        env = dict(os.environ, SOURCE_DATE_EPOCH="1735689600")
        first = {p.name: p.read_bytes() for p in (OUT / "packages").glob("*.zip")}
        r = subprocess.run([sohoa_run.BIN, "run", str(sohoa_run.SAMPLES / "scans"), "-o", str(OUT), "-q"],
                           capture_output=True, text=True, env=env, timeout=600)
        self.assertIn(r.returncode, (0, 3), r.stderr)
        second = {p.name: p.read_bytes() for p in (OUT / "packages").glob("*.zip")}
        self.assertEqual(first, second)


class RecordSchema(unittest.TestCase):
    def test_every_record_valid(self):
        import jsonschema
        schema = json.loads((sohoa_run.ROOT / "docs/record.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        v = jsonschema.Draft202012Validator(schema)
        recs = sorted((OUT / "records").glob("*/record.json"))
        self.assertGreater(len(recs), 20)
        for f in recs:
            errors = [e.message for e in v.iter_errors(json.loads(f.read_text(encoding="utf-8")))]
            self.assertEqual(errors, [], f)
            self.assertTrue((f.parent / "alto.xml").exists())


class PdfA(unittest.TestCase):
    def test_pdfa_2b_structure(self):
        pdfs = sorted((OUT / "records").glob("*/document.pdf"))
        for pdf in pdfs:
            r = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            data = pdf.read_bytes()
            self.assertNotIn(b"/Encrypt", data)
            self.assertIn(b"<pdfaid:part>2</pdfaid:part>", data)
            self.assertIn(b"<pdfaid:conformance>B</pdfaid:conformance>", data)
            self.assertIn(b"<xmp:CreateDate>2025-01-01T00:00:00Z</xmp:CreateDate>", data)
            self.assertIn(b"/CreationDate (D:20250101000000Z)", data)
            self.assertIn(b"/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1", data)
            self.assertIn(b"/DestOutputProfile", data)
            self.assertIn(b"/FontFile2", data)
            # The OutputIntent's ICC profile is an sRGB display profile, via qpdf's JSON.
            js = json.loads(subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", str(pdf)],
                                           capture_output=True, text=True).stdout)
            objs = js["qpdf"][1]
            icc = [v for v in objs.values() if isinstance(v, dict) and "stream" in v and v["stream"]["dict"].get("/N") == 3]
            self.assertEqual(len(icc), 1, pdf)
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
            self.assertTrue(text.strip(), pdf)


class Verify(unittest.TestCase):
    def test_output_and_packages_accepted(self):
        r = sohoa("verify", OUT)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("0 problem(s), all good", r.stdout)
        for z in (OUT / "packages").glob("*.zip"):
            self.assertEqual(sohoa("verify", z).returncode, 0)

    def flip_member_byte(self, zpath, member, dest):
        """Rewrites the zip with one byte of one member flipped (stored, so the CRC is recomputed)."""
        with zipfile.ZipFile(zpath) as src, zipfile.ZipFile(dest, "w") as out:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == member:
                    data = data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 0x01]) + data[len(data) // 2 + 1:]
                out.writestr(info.filename, data)

    def test_flipped_byte_in_any_package_file_is_named(self):
        zpath = OUT / "packages" / "HS-000123.zip"
        with zipfile.ZipFile(zpath) as z:
            members = [n for n in z.namelist()]
        with tempfile.TemporaryDirectory() as tmp:
            for member in members:
                bad = Path(tmp) / "HS-000123.zip"
                self.flip_member_byte(zpath, member, bad)
                r = sohoa("verify", bad)
                self.assertEqual(r.returncode, 5, member)
                self.assertIn(member, r.stdout, r.stdout)

    def test_flipped_byte_on_disk_of_a_package(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp) / "HS-000124.zip"
            data = bytearray((OUT / "packages/HS-000124.zip").read_bytes())
            data[len(data) // 3] ^= 0x10
            bad.write_bytes(bytes(data))
            r = sohoa("verify", bad)
            self.assertEqual(r.returncode, 5, r.stdout)
            self.assertRegex(r.stdout, r"HS-000124\.zip:")

    def test_flipped_byte_in_a_record_folder_is_named(self):
        copy = Path(tempfile.mkdtemp(prefix="sohoa-verify-"))
        try:
            shutil.copytree(OUT, copy / "out")
            out = copy / "out"
            rec = sorted((out / "records").iterdir())[0]
            for name in ("document.pdf", "text.txt", "alto.xml", "record.json"):
                f = rec / name
                original = f.read_bytes()
                data = bytearray(original)
                data[len(data) // 2] ^= 0x01
                f.write_bytes(bytes(data))
                r = sohoa("verify", out)
                self.assertEqual(r.returncode, 5, name)
                self.assertIn(f"records/{rec.name}/{name}", r.stdout)
                f.write_bytes(original)
            (rec / "alto.xml").unlink()
            r = sohoa("verify", out)
            self.assertEqual(r.returncode, 5)
            self.assertIn("alto.xml is missing", r.stdout)
        finally:
            shutil.rmtree(copy, ignore_errors=True)


class Search(unittest.TestCase):
    def hits(self, *args):
        r = sohoa("search", OUT, *args, "--json")
        self.assertIn(r.returncode, (0, 6), r.stderr)
        return json.loads(r.stdout)

    def test_without_diacritics_finds_text_with_them(self):
        truth = json.loads((sohoa_run.SAMPLES / "truth.json").read_text(encoding="utf-8"))
        names = set()
        for rec in sohoa_run.Output(OUT).records.values():
            if rec["metadata"].get("ho_ten"):
                names.add(rec["metadata"]["ho_ten"])
        self.assertTrue(names, truth and "no ho_ten extracted")
        import unicodedata
        for name in sorted(names)[:5]:
            plain = "".join(c for c in unicodedata.normalize("NFD", name) if unicodedata.category(c) != "Mn")
            plain = plain.replace("Đ", "D").replace("đ", "d").lower()
            with_marks = self.hits(name)
            without = self.hits(plain)
            self.assertTrue(without, plain)
            self.assertEqual([h["record"] for h in with_marks], [h["record"] for h in without])
            self.assertTrue(any(h["metadata"]["ho_ten"] == name for h in without), name)

    def test_filters_and_exit_status(self):
        all_ = self.hits("")
        self.assertEqual(len(all_), len(sohoa_run.Output(OUT).records))
        reusable = self.hits("", "--reusable")
        self.assertTrue(reusable and all(h["class"] == "reusable" for h in reusable))
        births = self.hits("", "--type", "giay_khai_sinh")
        self.assertTrue(births and all(h["doc_type"] == "giay_khai_sinh" for h in births))
        self.assertTrue(all(h["package"] == f"packages/{h['dossier']}.zip" for h in all_))
        self.assertEqual(sohoa("search", OUT, "zzqxwv").returncode, 6)
        text = sohoa("search", OUT, "uy ban nhan dan")
        self.assertEqual(text.returncode, 0)
        self.assertIn("record(s)", text.stdout)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

PROBE_HEAD = """<script>window.__errors=[];window.addEventListener('error',function(e){__errors.push(String(e.message))});
var __ce=console.error;console.error=function(){__errors.push([].join.call(arguments,' '));__ce.apply(console,arguments)};</script>"""
PROBE_TAIL = """<script>
(function(){
  var all=document.querySelectorAll('.record').length, flagged=document.querySelectorAll('.record[data-review="1"]').length;
  var box=document.getElementById('only-review'); box.click();
  var visible=[].filter.call(document.querySelectorAll('.record'),function(r){return r.offsetParent!==null}).length;
  var visibleOk=[].every.call(document.querySelectorAll('.record:not(.hidden)'),function(r){return r.getAttribute('data-review')==='1'});
  box.click();
  var back=[].filter.call(document.querySelectorAll('.record'),function(r){return r.offsetParent!==null}).length;
  var imgs=[].filter.call(document.images,function(i){return i.complete&&i.naturalWidth>0}).length;
  var pre=document.createElement('pre');pre.id='probe';
  pre.textContent=JSON.stringify({all:all,flagged:flagged,visible:visible,visibleOk:visibleOk,back:back,imgs:imgs,
    total_imgs:document.images.length,ids:[].map.call(document.querySelectorAll('.record'),function(r){return r.id}),errors:__errors});
  document.body.appendChild(pre);
})();
</script>"""


@unittest.skipUnless(CHROMIUM, "chromium not installed (Debian package chromium)")
class Report(unittest.TestCase):
    def test_report_in_headless_chromium(self):
        html = (OUT / "report.html").read_text(encoding="utf-8")
        self.assertNotRegex(html, r"(src|href)=\"(https?:)?//")  # self-contained
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "report.html"
            page.write_text(html.replace("<head>", "<head>" + PROBE_HEAD, 1).replace("</body>", PROBE_TAIL + "</body>"),
                            encoding="utf-8")
            r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                "--disable-component-update", "--disable-sync", "--no-first-run",
                                f"--user-data-dir={tmp}/profile", "--virtual-time-budget=5000", "--dump-dom",
                                page.as_uri()], capture_output=True, text=True, timeout=180)
            m = re.search(r'<pre id="probe">(.*?)</pre>', r.stdout, re.S)
            self.assertTrue(m, r.stderr[-2000:])
            import html as htmllib
            probe = json.loads(htmllib.unescape(m.group(1)))
        records = sohoa_run.Output(OUT).records
        self.assertEqual(probe["errors"], [])
        self.assertEqual(sorted(probe["ids"]), sorted(records))
        self.assertEqual(probe["all"], len(records))
        self.assertGreater(probe["flagged"], 0)
        self.assertEqual(probe["visible"], probe["flagged"])
        self.assertTrue(probe["visibleOk"])
        self.assertEqual(probe["back"], len(records))
        self.assertEqual(probe["imgs"], probe["total_imgs"])
        self.assertGreaterEqual(probe["imgs"], len(records) - 1)


if __name__ == "__main__":
    unittest.main()
