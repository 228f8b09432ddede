"""Glare over a chip card's name (issue 16: "glare is a reason to trust the MRZ or QR, not to
guess"). The card is a sample (HS-000124/cccd.zip, cccd/vo.jpg); the glare is a bright, blurred
blob painted over its number and name lines, the QR code left clear. A name the glare damaged but
did not erase is written into the text from the code, with what OCR read kept as evidence; a name
the glare erased is not guessed: the record asks a person to mend the text."""
import io
import json
import unittest
import zipfile

import numpy as np
from PIL import Image, ImageFilter

from sohoa_run import SAMPLES, Output, fresh_dir, remove, run

CARD = ("HS-000124/cccd.zip", "cccd/vo.jpg")


def card_truth():
    truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
    for e in truth["inputs"]:
        if e["path"] == CARD[0] and e["member"] == CARD[1]:
            return e
    raise AssertionError(f"{CARD} not in samples/truth.json")


def with_glare(image, strength):
    """A lamp's reflection: white mixed in by a Gaussian of the distance from the centre of the
    number and name lines, the print under it softened."""
    a = np.asarray(image.convert("L")).astype(np.float32)
    h, w = a.shape
    yy, xx = np.mgrid[0:h, 0:w]
    weight = strength * np.exp(-(((xx - 0.60 * w) / (0.16 * w)) ** 2 + ((yy - 0.51 * h) / (0.086 * h)) ** 2))
    soft = np.asarray(image.convert("L").filter(ImageFilter.GaussianBlur(1.6))).astype(np.float32)
    out = np.where(weight > 0.3, soft, a) * (1 - weight) + 255 * weight
    return Image.fromarray(out.clip(0, 255).astype(np.uint8))


class CardGlare(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = fresh_dir("glare")
        cls.truth = card_truth()
        with zipfile.ZipFile(SAMPLES / "scans" / CARD[0]) as z:
            card = Image.open(io.BytesIO(z.read(CARD[1])))
            card.load()
        dossier = cls.tmp / "in" / "HS-GLARE"
        dossier.mkdir(parents=True)
        card.save(dossier / "clear.png")
        with_glare(card, 0.70).save(dossier / "glare.png")
        with_glare(card, 0.88).save(dossier / "glare-heavy.png")
        run([cls.tmp / "in"], cls.tmp / "out", "-q", "--jobs", "2")
        cls.output = Output(cls.tmp / "out")

    @classmethod
    def tearDownClass(cls):
        remove(cls.tmp)

    def record(self, name):
        return self.output.only(name)

    def printed_name(self):
        return self.truth["documents"][0]["metadata"]["ho_ten"].upper()

    def test_what_the_clear_card_reads_right_is_left_alone(self):
        rec = self.record("clear.png")
        # its number and birth date read right; (its name may lose a mark or two, and be mended)
        self.assertEqual([m for m in rec["pages"][0]["text_mended"] if m["field"] != "ho_ten"], [])
        text = self.output.page_texts(rec)[0]
        self.assertIn(self.printed_name(), text)
        self.assertIn(self.truth["documents"][0]["metadata"]["so_dinh_danh"], text)

    def test_a_name_the_glare_damaged_is_written_from_the_qr_code(self):
        rec = self.record("glare.png")
        self.assertEqual(rec["metadata"]["ho_ten"], self.truth["documents"][0]["metadata"]["ho_ten"])
        text = self.output.page_texts(rec)[0]
        self.assertIn(self.printed_name(), text)
        mended = [m for m in rec["pages"][0]["text_mended"] if m["field"] == "ho_ten"]
        self.assertEqual(len(mended), 1, rec["pages"][0]["text_mended"])
        self.assertEqual(mended[0]["after"], self.printed_name())
        self.assertEqual(mended[0]["source"], "qr")
        self.assertNotEqual(mended[0]["before"], self.printed_name())  # what OCR read is kept
        # the ALTO carries the same words, so a search in the archive's viewer finds the name
        alto = (rec["_dir"] / "alto.xml").read_text(encoding="utf-8")
        for word in self.printed_name().split():
            self.assertIn(f'CONTENT="{word}"', alto)
        self.assertNotIn("text_unreadable", [(r["code"]) for r in rec["review_reasons"] if r["field"] == "ho_ten"])

    def test_a_name_the_glare_erased_is_not_guessed_but_asked(self):
        rec = self.record("glare-heavy.png")
        self.assertEqual(rec["metadata"]["ho_ten"], self.truth["documents"][0]["metadata"]["ho_ten"])
        self.assertNotIn(self.printed_name(), self.output.page_texts(rec)[0])
        self.assertEqual([m for m in rec["pages"][0]["text_mended"] if m["field"] == "ho_ten"], [])
        self.assertTrue(rec["review"])
        self.assertIn(("text_unreadable", "ho_ten"), [(r["code"], r["field"]) for r in rec["review_reasons"]])


if __name__ == "__main__":
    unittest.main()
