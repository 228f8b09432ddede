"""Real signed PDFs of a provincial document system (../shared/real-signed, read in place, never
copied): what its expected.json says a user expects of each, plus the signatures as pdfsig
lists them, the original kept in the package, and verify rejecting a changed original."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import unittest
import zipfile
from pathlib import Path

import sohoa_run

SHARED = Path(os.environ.get("SOHOA_SHARED", sohoa_run.ROOT.parent / "shared"))
SIGNED = SHARED / "real-signed"


def norm(v):
    return unicodedata.normalize("NFC", v).casefold() if isinstance(v, str) else v


def fold(v):
    """Letters without their marks."""
    v = norm(v).replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", v) if not unicodedata.combining(c))


def subject(v):
    return re.sub(r"^(về việc|v/v)\s*", "", norm(v)) if isinstance(v, str) else v


@unittest.skipUnless((SIGNED / "expected.json").exists(), f"real signed PDFs not found in {SIGNED} (set SOHOA_SHARED)")
class RealSigned(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.expected = json.loads((SIGNED / "expected.json").read_text())["documents"]
        cls.tmp = tempfile.TemporaryDirectory(prefix="sohoa-signed-")
        out = Path(cls.tmp.name) / "out"
        sohoa_run.run([SIGNED / name for name in sorted(cls.expected)], out, "-q", "--dossier", "HS-KY-SO",
                      check_codes=(0,))
        cls.out = out
        cls.o = sohoa_run.Output(out)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def record(self, name):
        return self.o.only(name)

    def check_fields(self, name, keys):
        r = self.record(name)
        want = self.expected[name]
        for key in keys:
            with self.subTest(key=key):
                got = r["metadata"].get(key)
                if key == "trich_yeu":
                    self.assertEqual(subject(got), subject(want["metadata"][key]))
                else:
                    self.assertEqual(norm(got), norm(want["metadata"][key]))

    def test_type_class_text_source_and_signature_count(self):
        for name, want in self.expected.items():
            with self.subTest(name=name):
                r = self.record(name)
                self.assertEqual((r["doc_type"], r["class"]), (want["doc_type"], want["class"]))
                self.assertEqual(r["pages"][0]["text_source"], want["text_source_page1"])
                self.assertEqual(len(r["signatures"]), want["signatures"])

    def test_word_export_fields(self):
        name = "thong-bao-11-TB-UBND-2025.pdf"
        self.check_fields(name, self.expected[name]["metadata"].keys())

    def test_scanned_report_printed_fields(self):
        self.check_fields("bao-cao-23-BC-UBND-2025.pdf", ["so_ky_hieu", "co_quan_ban_hanh", "trich_yeu"])

    def test_directive_printed_authority_and_whole_subject(self):
        # The number line ends the authority block whether its handwritten 07 is read or not
        # (unread, it became "SỞ /CT-UBND"); the office's name printed on the arrival stamp's rule, which
        # Tesseract puts on the subject's line, is the stamp's ("Q. NGÃI Về việc …" before); the
        # subject's second line overlapping the first one's box still continues it.
        name = "chi-thi-07-CT-UBND-2018.pdf"
        self.check_fields(name, ["co_quan_ban_hanh"])
        r = self.record(name)
        got, want = subject(r["metadata"]["trich_yeu"]), subject(self.expected[name]["metadata"]["trich_yeu"])
        # OCR reads "thi" as "thỉ" there: the letters must be the subject's, the marks may slip
        self.assertEqual(fold(got), fold(want))
        stamp = [x for x in r["pages"][0]["regions"] if x["role"] == "stamp"]
        self.assertTrue(stamp and "NGÃI" in " ".join(stamp[0]["lines"]), stamp)
        if got != want:
            self.assertTrue(r["review"])

    def test_scanned_report_handwritten_day(self):
        # "ngày 23" with "23" by hand, its 2 looped (OCR reads "ậ3"): read by the digit recogniser,
        # and asked to confirm like every handwritten reading.
        self.check_handwritten("bao-cao-23-BC-UBND-2025.pdf", "ngay_ban_hanh")

    def check_handwritten(self, name, key):
        self.check_fields(name, [key])
        r = self.record(name)
        self.assertEqual(r["metadata_evidence"][key]["source"], "handwritten")
        self.assertIn(("field_low_confidence", key), [(x["code"], x["field"]) for x in r["review_reasons"]])

    def test_directive_handwritten_number(self):
        # "Số: 07 /CT-UBND" with "07" by hand: read by the digit recogniser, and asked to confirm.
        self.check_handwritten("chi-thi-07-CT-UBND-2018.pdf", "so_ky_hieu")

    def test_directive_handwritten_day(self):
        # The "20" of "ngày 20 tháng 3" is a felt-pen blot close to "ngày" (OCR reads "80"): read by
        # the recogniser, and asked.
        self.check_handwritten("chi-thi-07-CT-UBND-2018.pdf", "ngay_ban_hanh")

    def test_signer_names_are_right_or_asked(self):
        # The Word export's signer is also its first certificate's name; the report's scanned
        # "Trần Hoàng Tuấn" comes out of OCR with shifted marks, which no one bears: asked.
        r = self.record("thong-bao-11-TB-UBND-2025.pdf")
        self.assertEqual(r["metadata"]["nguoi_ky"], "Nguyễn Phước Bình")
        self.assertEqual(r["metadata_evidence"]["nguoi_ky"]["digital_signature"], "Nguyễn Phước Bình")
        r = self.record("bao-cao-23-BC-UBND-2025.pdf")
        if r["metadata"]["nguoi_ky"] != "Trần Hoàng Tuấn":
            self.assertIn(("field_low_confidence", "nguoi_ky"), [(x["code"], x["field"]) for x in r["review_reasons"]])
            self.assertTrue(r["metadata_evidence"]["nguoi_ky"]["doubts"])

    def test_directive_fields(self):
        name = "chi-thi-07-CT-UBND-2018.pdf"
        self.check_fields(name, self.expected[name]["metadata"].keys())

    def test_signatures_as_pdfsig_reads_them(self):
        r = self.record("bao-cao-23-BC-UBND-2025.pdf")
        s = r["signatures"]
        self.assertEqual([x["type"] for x in s], ["ETSI.CAdES.detached", "adbe.pkcs7.detached"])
        self.assertEqual(s[0]["signer"], "Ủy ban nhân dân tỉnh Quảng Ngãi")
        self.assertEqual(s[0]["signer_dn"], "CN=Ủy ban nhân dân tỉnh Quảng Ngãi,L=Quảng Ngãi,O=Tỉnh Quảng Ngãi,C=VN")
        self.assertEqual(s[1]["organization"], "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
        self.assertEqual(s[0]["signing_time"], "2025-01-24T07:23:43Z")
        self.assertEqual([x["covers_whole_file"] for x in s], [False, True])
        self.assertTrue(all(x["bytes_intact"] for x in s))
        # No --trust given: never "valid"; the national CA is not known to this machine.
        self.assertEqual([x["certificate"]["state"] for x in s], ["unknown_issuer", "unknown_issuer"])
        old = self.record("chi-thi-07-CT-UBND-2018.pdf")["signatures"][0]
        self.assertEqual((old["type"], old["signer"], old["signing_time"]),
                         ("adbe.pkcs7.detached", "Trung tâm Công báo và Tin học", "2018-03-21T16:41:00Z"))
        self.assertTrue(old["bytes_intact"])
        self.assertEqual(old["certificate"]["state"], "expired")
        five = self.record("thong-bao-11-TB-UBND-2025.pdf")["signatures"]
        self.assertEqual([x["signer"] for x in five], ["Nguyễn Phước Bình"] + ["Ủy ban nhân dân tỉnh Quảng Ngãi"] * 3 +
                         ["TRUNG TÂM CÔNG BÁO VÀ TIN HỌC"])

    def test_signature_appearance_is_evidence_not_text(self):
        r = self.record("bao-cao-23-BC-UBND-2025.pdf")
        self.assertTrue(any("Ký bởi" in line for line in r["pages"][0].get("signature_appearance", [])))
        for text in self.o.page_texts(r):
            self.assertNotIn("Ký bởi", text)
            self.assertNotIn("Thời gian ký", text)
        self.assertNotIn("Tỉnh Quảng Ngãi", r["metadata"]["co_quan_ban_hanh"] or "")
        # The office's signature stamps the number and day into the Word export's slots: text.
        t = self.record("thong-bao-11-TB-UBND-2025.pdf")
        self.assertRegex(self.o.page_texts(t)[0], r"Số: 11 ?/TB-UBND")
        self.assertIn("ttcbth@quangngai.gov.vn", " ".join(t["pages"][0]["signature_appearance"]))

    def test_original_kept_byte_for_byte_and_verify_rejects_a_changed_one(self):
        with zipfile.ZipFile(self.out / "packages" / "HS-KY-SO.zip") as z:
            names = z.namelist()
            for name in self.expected:
                data = (SIGNED / name).read_bytes()
                sha = hashlib.sha256(data).hexdigest()
                member = f"HS-KY-SO/data/representations/original/data/{sha}.pdf"
                self.assertIn(member, names)
                self.assertEqual(z.read(member), data)
        ok = subprocess.run([sohoa_run.BIN, "verify", str(self.out)], capture_output=True, text=True)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)

        # A changed original, manifests and METS made to agree with it: the record's checksum
        # and the signatures still catch it, and verify names the file.
        sha = hashlib.sha256((SIGNED / "chi-thi-07-CT-UBND-2018.pdf").read_bytes()).hexdigest()
        bad = Path(self.tmp.name) / "bad"
        shutil.copytree(self.out, bad)
        orig = bad / "originals" / f"{sha}.pdf"
        data = bytearray(orig.read_bytes())
        data[1000] ^= 0x01
        orig.chmod(0o644)
        orig.write_bytes(bytes(data))
        rep = subprocess.run([sohoa_run.BIN, "verify", str(bad)], capture_output=True, text=True)
        self.assertEqual(rep.returncode, 5, rep.stdout + rep.stderr)
        self.assertIn(f"originals/{sha}.pdf", rep.stdout + rep.stderr)
        self.assertIn("changed", rep.stdout + rep.stderr)

        zpath = bad / "packages" / "HS-KY-SO.zip"
        member = f"HS-KY-SO/data/representations/original/data/{sha}.pdf"
        with zipfile.ZipFile(zpath) as z:
            entries = [(i, z.read(i.filename)) for i in z.infolist()]
        with zipfile.ZipFile(zpath, "w") as z:
            for info, body in entries:
                z.writestr(info, bytes(data) if info.filename == member else body)
        rep = subprocess.run([sohoa_run.BIN, "verify", str(zpath)], capture_output=True, text=True)
        self.assertEqual(rep.returncode, 5, rep.stdout + rep.stderr)
        self.assertIn(member, rep.stdout + rep.stderr)


if __name__ == "__main__":
    unittest.main()
