"""Signed PDFs made here from the project's own samples, with a CA made in the test: a scan
wrapped in a PDF whose text layer is only a header the document system added, signed
(adbe.pkcs7.detached); a scan signed with ETSI.CAdES.detached; a Word-style export signed three
times; signatures by a revoked certificate, by another CA's certificate, and over changed bytes."""
import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

import sign_pdf
import sohoa_run

SCANS = sohoa_run.SAMPLES / "scans"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
HEADER = "VĂN PHÒNG ĐIỀU HÀNH ĐIỆN TỬ - ĐÃ TIẾP NHẬN"


def scan_pdf(image, out, header=None):
    """The scan filling an A4 page, as a document system wraps it; optionally a line of real text."""
    with Image.open(image) as im:
        size = im.size
    c = canvas.Canvas(str(out), pagesize=(595, 842))
    c.drawImage(str(image), 0, 0, 595, 842)
    if header:
        pdfmetrics.registerFont(TTFont("DejaVu", FONT))
        c.setFont("DejaVu", 7)
        c.drawString(330, 828, header)
    c.showPage()
    c.save()
    return size


def word_pdf(out, lines):
    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    c = canvas.Canvas(str(out), pagesize=(595, 842))
    c.setFont("DejaVu", 12)
    y = 790
    for line in lines:
        c.drawString(60, y, line)
        y -= 22
    c.showPage()
    c.save()


WORD_LINES = [
    "ỦY BAN NHÂN DÂN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TỈNH KHÁNH HÒA                            Độc lập - Tự do - Hạnh phúc",
    "Số: 15/TB-UBND                      Khánh Hòa, ngày 12 tháng 3 năm 2024",
    "THÔNG BÁO",
    "Về việc tổ chức tiếp công dân định kỳ tháng 3 năm 2024",
    "Ủy ban nhân dân tỉnh thông báo lịch tiếp công dân định kỳ như sau:",
    "Thời gian: ngày 20 tháng 3 năm 2024, tại trụ sở tiếp công dân tỉnh.",
    "Đề nghị các cơ quan, đơn vị liên quan phối hợp thực hiện.",
]


class SignedInputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="sohoa-signed-inputs-")
        t = Path(cls.tmp.name)
        ca = sign_pdf.CA(t / "ca", "Test Root CA")
        other = sign_pdf.CA(t / "other", "Unknown Root CA")
        org_key, org = ca.issue("org", "/C=VN/O=UBND tỉnh Khánh Hòa/CN=Ủy ban nhân dân tỉnh Khánh Hòa")
        person_key, person = ca.issue("person", "/C=VN/O=UBND tỉnh Khánh Hòa/CN=Nguyễn Văn An")
        gone_key, gone = ca.issue("gone", "/C=VN/O=UBND tỉnh Khánh Hòa/CN=Trần Thị Bình")
        ca.revoke(gone)
        stranger_key, stranger = other.issue("x", "/C=VN/CN=Người lạ")
        trust = t / "trust"
        trust.mkdir()
        (trust / "root.pem").write_bytes((ca.dir / "ca.pem").read_bytes())
        ca.crl(trust / "root.crl.pem")

        inp = t / "in" / "HS-KY-01"
        inp.mkdir(parents=True)
        work = t / "work"
        work.mkdir()
        scan_pdf(SCANS / "HS-000128" / "thong-bao.jpg", work / "a.pdf", header=HEADER)
        sign_pdf.sign(work / "a.pdf", inp / "a-scan-header-adbe.pdf", org_key, org, signer="UBND tinh Khanh Hoa")
        scan_pdf(SCANS / "HS-000128" / "cong-van.tif", work / "b.pdf")
        sign_pdf.sign(work / "b.pdf", inp / "b-scan-cades.pdf", org_key, org, cades=True, signer="UBND tinh Khanh Hoa")
        word_pdf(work / "c.pdf", WORD_LINES)
        sign_pdf.sign(work / "c.pdf", work / "c1.pdf", person_key, person, signer="Nguyen Van An")
        sign_pdf.sign(work / "c1.pdf", work / "c2.pdf", org_key, org, cades=True, rect=(60, 450, 300, 520))
        sign_pdf.sign(work / "c2.pdf", inp / "c-word-three-signatures.pdf", org_key, org, rect=(330, 450, 560, 520))
        sign_pdf.sign(work / "c.pdf", inp / "d-revoked.pdf", gone_key, gone)
        sign_pdf.sign(work / "c.pdf", inp / "e-other-ca.pdf", stranger_key, stranger)
        changed = bytearray((inp / "c-word-three-signatures.pdf").read_bytes())
        at = changed.index(b"ReportLab")  # inside the Info dictionary, under every signature
        changed[at] = ord("r")
        (inp / "f-changed.pdf").write_bytes(bytes(changed))

        cls.out = t / "out"
        sohoa_run.run([t / "in"], cls.out, "-q", "--trust", trust, check_codes=(0,))
        cls.o = sohoa_run.Output(cls.out)
        # The same Word export judged in 2100, when every certificate has expired.
        env = dict(os.environ, SOURCE_DATE_EPOCH="4102444800")
        cls.later = t / "later"
        proc = subprocess.run([sohoa_run.BIN, "run", str(inp / "c-word-three-signatures.pdf"), "-o", str(cls.later), "-q",
                               "--trust", str(trust)], env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def record(self, name):
        return self.o.only(name)

    def test_scan_under_a_system_header_is_read_and_the_header_kept_once(self):
        r = self.record("a-scan-header-adbe.pdf")
        self.assertEqual(r["pages"][0]["text_source"], "ocr+pdf_text")
        text = self.o.page_texts(r)[0]
        self.assertEqual(text.count(HEADER), 1, text[:300])
        self.assertIn("tạm dừng tiếp nhận hồ sơ", text)  # the body, from the scan
        self.assertEqual(r["metadata"]["trich_yeu"], "tạm dừng tiếp nhận hồ sơ để nâng cấp hệ thống phần mềm")
        self.assertNotIn("Ky boi", text)
        self.assertIn("Ky boi: UBND tinh Khanh Hoa", r["pages"][0]["signature_appearance"])
        (s,) = r["signatures"]
        self.assertEqual((s["type"], s["signer"], s["organization"]),
                         ("adbe.pkcs7.detached", "Ủy ban nhân dân tỉnh Khánh Hòa", "UBND tỉnh Khánh Hòa"))
        self.assertTrue(s["bytes_intact"] and s["covers_whole_file"])
        self.assertEqual(s["certificate"]["state"], "valid")
        self.assertTrue(s["certificate"]["trust_anchors"])

    def test_scan_signed_cades_is_read_from_the_image(self):
        r = self.record("b-scan-cades.pdf")
        self.assertEqual(r["pages"][0]["text_source"], "ocr")
        self.assertEqual(r["metadata"]["so_ky_hieu"], "1091/TP-NV")
        (s,) = r["signatures"]
        self.assertEqual((s["type"], s["bytes_intact"], s["certificate"]["state"]), ("ETSI.CAdES.detached", True, "valid"))
        self.assertEqual(s["signing_time_source"], "signed_attributes")

    def test_word_export_signed_three_times_keeps_its_text_layer(self):
        r = self.record("c-word-three-signatures.pdf")
        self.assertEqual(r["pages"][0]["text_source"], "pdf_text")
        self.assertEqual(r["metadata"]["so_ky_hieu"], "15/TB-UBND")
        self.assertEqual(r["metadata"]["ngay_ban_hanh"], "2024-03-12")
        s = r["signatures"]
        self.assertEqual([x["type"] for x in s], ["adbe.pkcs7.detached", "ETSI.CAdES.detached", "adbe.pkcs7.detached"])
        self.assertEqual([x["signer"] for x in s], ["Nguyễn Văn An"] + ["Ủy ban nhân dân tỉnh Khánh Hòa"] * 2)
        self.assertEqual([x["covers_whole_file"] for x in s], [False, False, True])
        self.assertEqual([(x["bytes_intact"], x["certificate"]["state"]) for x in s], [(True, "valid")] * 3)
        self.assertEqual(len(r["pages"][0]["signature_appearance"]), 9)
        self.assertNotIn("Thoi gian ky", self.o.page_texts(r)[0])

    def test_certificate_states(self):
        self.assertEqual(self.record("d-revoked.pdf")["signatures"][0]["certificate"]["state"], "revoked")
        self.assertEqual(self.record("e-other-ca.pdf")["signatures"][0]["certificate"]["state"], "unknown_issuer")
        later = sohoa_run.Output(self.later)
        (r,) = later.records.values()
        self.assertEqual([x["certificate"]["state"] for x in r["signatures"]], ["expired"] * 3)

    def test_changed_bytes_are_caught(self):
        s = self.record("f-changed.pdf")["signatures"]
        self.assertEqual(len(s), 3)
        self.assertEqual([x["bytes_intact"] for x in s], [False, False, False])

    def codes(self, r):
        return {x["code"] for x in r["review_reasons"]}

    def test_signature_problems_ask_a_person(self):
        for name in ("a-scan-header-adbe.pdf", "b-scan-cades.pdf", "c-word-three-signatures.pdf"):
            got = self.codes(self.record(name))
            self.assertFalse(got & {"signature_invalid", "signature_untrusted"}, name)
        for name in ("d-revoked.pdf", "e-other-ca.pdf"):
            r = self.record(name)
            self.assertIn("signature_untrusted", self.codes(r), name)
            self.assertNotIn("signature_invalid", self.codes(r), name)
            self.assertTrue(r["review"])
        detail = [x["detail"] for x in self.record("d-revoked.pdf")["review_reasons"] if x["code"] == "signature_untrusted"]
        self.assertIn("revoked", detail[0])
        r = self.record("f-changed.pdf")
        (bad,) = [x["detail"] for x in r["review_reasons"] if x["code"] == "signature_invalid"]
        self.assertEqual([f"signature {i}" in bad for i in (1, 2, 3)], [True] * 3, bad)
        self.assertTrue(r["review"])
        (later,) = sohoa_run.Output(self.later).records.values()
        (old,) = [x["detail"] for x in later["review_reasons"] if x["code"] == "signature_untrusted"]
        self.assertEqual(old.count("expired"), 3, old)

    def test_package_keeps_the_originals_and_verifies(self):
        proc = subprocess.run([sohoa_run.BIN, "verify", str(self.out)], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        premis = subprocess.run(["unzip", "-p", str(self.out / "packages" / "HS-KY-01.zip"),
                                 "HS-KY-01/data/metadata/preservation/premis.xml"], capture_output=True, text=True).stdout
        self.assertEqual(premis.count("<premis:eventType>validation</premis:eventType>"), 1 + 1 + 3 + 1 + 1 + 3)
        self.assertIn("signed bytes NOT intact", premis)


if __name__ == "__main__":
    unittest.main()
