"""Hostile and broken inputs through the real binary: every one ends as an error entry naming the
file and the reason, the good inputs beside them still become records, and nothing crashes, hangs,
writes outside OUT or takes unbounded memory. Also an unwritable OUT and a full disk."""
import hashlib
import io
import json
import os
import resource
import signal
import subprocess
import tarfile
import threading
import time
import unittest
import zipfile
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

import sohoa_run
from sohoa_run import BIN, SAMPLES, fresh_dir, remove

TIMEOUT = 600  # a hang fails the test instead of blocking CI


def page_image(w=900, h=1200, seed=0):
    img = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(img)
    for i, y in enumerate(range(120, h - 120, 60)):
        d.rectangle([100, y, w - 150 - ((i * 37 + seed * 11) % 200), y + 22], fill=20)
    return img


def encoded(img, fmt, **kw):
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def pdf(objects):
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(d, data):
    return b"<< " + d + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def scanned_pdf(img):
    w, h = img.size
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im0 4 0 R >> >>"
        b" /Contents 5 0 R >>" % (w * 72 // 150, h * 72 // 150),
        stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
               b" /BitsPerComponent 8 /Filter /DCTDecode" % (w, h), encoded(img, "JPEG", quality=60)),
        stream(b"", b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % (w * 72 // 150, h * 72 // 150)),
    ])


def many_page_pdf(n):
    kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(n))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n] + pages)


def tiff_with_bad_page(pages, bad):
    """Uncompressed 8-bit grey pages; page `bad` (0-based) points its strip past the end of file."""
    out = bytearray(b"II*\0\0\0\0\0")
    link = 4
    for i, img in enumerate(pages):
        w, h = img.size
        strip_at = len(out)
        out += img.tobytes()
        if len(out) % 2:
            out += b"\0"
        ifd = len(out)
        out[link:link + 4] = ifd.to_bytes(4, "little")
        tags = [(256, 4, w), (257, 4, h), (258, 3, 8), (259, 3, 1), (262, 3, 1),
                (273, 4, 0x7FFFFF00 if i == bad else strip_at), (277, 3, 1), (278, 4, h), (279, 4, w * h)]
        out += len(tags).to_bytes(2, "little")
        for tag, typ, val in tags:
            out += tag.to_bytes(2, "little") + typ.to_bytes(2, "little") + (1).to_bytes(4, "little")
            out += val.to_bytes(2, "little") + b"\0\0" if typ == 3 else val.to_bytes(4, "little")
        link = len(out)
        out += b"\0\0\0\0"
    return bytes(out)


def huge_png():
    png = bytearray(encoded(page_image(40, 40), "PNG"))
    png[16:24] = (100000).to_bytes(4, "big") * 2
    png[29:33] = zlib.crc32(bytes(png[12:29])).to_bytes(4, "big")
    return bytes(png)


def tar_with(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for name, kind, data in entries:
            info = tarfile.TarInfo(name)
            info.type = kind
            if kind == tarfile.SYMTYPE:
                info.linkname = "/etc/passwd"
            if kind == tarfile.CHRTYPE:
                info.devmajor, info.devminor = 1, 3
            info.size = len(data)
            t.addfile(info, io.BytesIO(data) if data else None)
    return buf.getvalue()


def tree(root):
    return {str(p.relative_to(root)) for p in Path(root).rglob("*")}


def peak_rss_children_mib():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def can_mount():
    if os.geteuid() != 0:
        return False
    d = fresh_dir("mnt-probe")
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(d)],
                            capture_output=True).returncode == 0
        if ok:
            subprocess.run(["umount", str(d)], check=True)
        return ok
    finally:
        remove(d)


class HostileInputs(unittest.TestCase):
    """One batch over a folder of hostile inputs beside two good ones."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = fresh_dir("hostile")
        cls.inp = cls.tmp / "in"
        hs = cls.inp / "HS-1"
        hs.mkdir(parents=True)
        good = encoded(page_image(seed=1), "PNG", dpi=(150, 150))
        (hs / "good.png").write_bytes(good)
        z = io.BytesIO()
        with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("ok.png", encoded(page_image(seed=2), "PNG", dpi=(150, 150)))
            zf.writestr("../../escaped-zip.png", good)
            zf.writestr("/tmp/absolute-zip.png", good)
        (hs / "slip.zip").write_bytes(z.getvalue())
        (hs / "slip.tar").write_bytes(tar_with([
            ("../../escaped-tar.png", tarfile.REGTYPE, good),
            ("/tmp/absolute-tar.png", tarfile.REGTYPE, good),
            ("passwd.png", tarfile.SYMTYPE, b""),
            ("null.png", tarfile.CHRTYPE, b""),
        ]))
        z = io.BytesIO()
        with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("bomb.tif", bytes(64 << 20))  # 64 MiB of zeros in ~64 KiB
        (hs / "bomb.zip").write_bytes(z.getvalue())
        (hs / "huge.png").write_bytes(huge_png())
        (hs / "10000-pages.pdf").write_bytes(many_page_pdf(10000))
        (hs / "encrypted.pdf").write_bytes((SAMPLES / "bad" / "encrypted.pdf").read_bytes())
        broken = bytearray(scanned_pdf(page_image(seed=3)))
        x = broken.rfind(b"startxref\n") + len(b"startxref\n")
        broken[x:broken.index(b"\n", x)] = b"99999999"
        (hs / "broken-xref.pdf").write_bytes(bytes(broken))
        (hs / "stack.tif").write_bytes(tiff_with_bad_page([page_image(seed=i) for i in (4, 5, 6)], bad=1))
        cls.out = cls.tmp / "out"
        before = tree(cls.tmp)
        t0 = time.monotonic()
        cls.proc = subprocess.run([BIN, "run", str(cls.inp), "-o", str(cls.out), "--jobs", "2"],
                                  capture_output=True, text=True, timeout=TIMEOUT, cwd=cls.tmp)
        cls.seconds = time.monotonic() - t0
        cls.peak_mib = peak_rss_children_mib()
        cls.new_outside = {p for p in tree(cls.tmp) - before if not p.startswith("out")}
        cls.batch = json.loads((cls.out / "batch.json").read_text(encoding="utf-8"))

    @classmethod
    def tearDownClass(cls):
        remove(cls.tmp)

    def errors_of(self, path, member=None):
        return [e for e in self.batch["errors"] if e["path"] == path and e["member"] == member]

    def assert_error(self, path, member, words):
        found = self.errors_of(path, member)
        self.assertTrue(found, f"no error for {path} {member}: {json.dumps(self.batch['errors'], indent=1)}")
        reason = " ".join(e["reason"] for e in found)
        for w in words:
            self.assertIn(w, reason)
        self.assertIn(f"HS-1/{Path(path).name}", self.proc.stderr)

    def test_the_batch_finishes_with_some_inputs_unread(self):
        self.assertEqual(self.proc.returncode, 3, self.proc.stderr)
        self.assertLess(self.seconds, TIMEOUT)

    def test_good_inputs_beside_the_hostile_ones_become_records(self):
        out = sohoa_run.Output(self.out)
        self.assertTrue(out.records_of("HS-1/good.png"))
        self.assertTrue(out.records_of("HS-1/slip.zip", "ok.png"))
        self.assertTrue(out.records_of("HS-1/broken-xref.pdf"), "a PDF with a broken xref is repaired and read")

    def test_nothing_is_written_outside_out(self):
        self.assertEqual(self.new_outside, set())
        for name in ("escaped-zip.png", "escaped-tar.png", "absolute-zip.png", "absolute-tar.png"):
            self.assertFalse((self.tmp.parent / name).exists())
            self.assertFalse(Path("/tmp", name).exists())
            self.assertEqual(list(self.out.rglob(name)), [])

    def test_archive_members_outside_the_archive_links_and_devices(self):
        for path, member in (("HS-1/slip.zip", "../../escaped-zip.png"), ("HS-1/slip.zip", "/tmp/absolute-zip.png"),
                             ("HS-1/slip.tar", "../../escaped-tar.png"), ("HS-1/slip.tar", "/tmp/absolute-tar.png")):
            self.assert_error(path, member, ["outside the archive"])
        self.assert_error("HS-1/slip.tar", "passwd.png", ["symbolic link"])
        self.assert_error("HS-1/slip.tar", "null.png", ["not a regular file"])

    def test_zip_bomb(self):
        self.assert_error("HS-1/bomb.zip", None, ["zip bomb"])

    def test_image_claiming_100000_square_pixels(self):
        self.assert_error("HS-1/huge.png", None, ["100000x100000", "megapixels"])

    def test_10000_page_pdf(self):
        self.assert_error("HS-1/10000-pages.pdf", None, ["10000 pages", "limit of 2000", "--max-pages"])

    def test_encrypted_pdf(self):
        self.assert_error("HS-1/encrypted.pdf", None, ["password"])

    def test_tiff_with_a_corrupt_page_keeps_the_good_pages(self):
        self.assert_error("HS-1/stack.tif", None, ["page 2"])
        out = sohoa_run.Output(self.out)
        pages = [p for r in out.records_of("HS-1/stack.tif") for p in r["pages"]]
        # The bad page stays in its record with its error, so page numbers keep their meaning.
        self.assertEqual(sorted(p["number"] for p in pages if not p["blank"] and not p["error"]), [1, 3])
        self.assertTrue(any(p["number"] == 2 and p["error"] for p in pages))

    def test_memory_stays_bounded(self):
        # The bomb expands to 64 MiB, the huge PNG would be 10 GB, the PDF has 10000 pages.
        self.assertLess(self.peak_mib, 1024)


class FilesMovingDuringTheRun(unittest.TestCase):
    def test_a_file_that_changes_or_vanishes_is_an_error_or_read_whole(self):
        tmp = fresh_dir("moving")
        try:
            inp, out = tmp / "in", tmp / "out"
            inp.mkdir()
            originals = {}
            for i in range(6):
                data = encoded(page_image(seed=10 + i), "PNG", dpi=(150, 150))
                originals[f"p{i}.png"] = data
                (inp / f"p{i}.png").write_bytes(data)
            proc = subprocess.Popen([BIN, "run", str(inp), "-o", str(out), "--jobs", "1"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

            def meddle():
                deadline = time.monotonic() + TIMEOUT
                while time.monotonic() < deadline and proc.poll() is None:
                    if any((out / "records").glob("*/record.json")):
                        break
                    time.sleep(0.05)
                (inp / "p4.png").write_bytes(encoded(page_image(seed=99), "PNG"))
                (inp / "p5.png").unlink()

            t = threading.Thread(target=meddle)
            t.start()
            _, stderr = proc.communicate(timeout=TIMEOUT)
            t.join()
            self.assertIn(proc.returncode, (0, 3), stderr)
            batch = json.loads((out / "batch.json").read_text(encoding="utf-8"))
            result = sohoa_run.Output(out)
            for name, words in (("p4.png", "changed while the batch was running"), ("p5.png", "No such file")):
                errs = [e for e in batch["errors"] if e["path"] == name]
                recs = result.records_of(name)
                if errs:
                    self.assertIn(words, errs[0]["reason"])
                    self.assertEqual(recs, [], "an input reported unreadable also has records")
                else:  # read before it moved: then the record is of the original content
                    self.assertTrue(recs, f"{name}: neither a record nor an error")
                    self.assertEqual(recs[0]["source"]["sha256"], hashlib.sha256(originals[name]).hexdigest())
            for name in ("p0.png", "p1.png"):
                self.assertTrue(result.records_of(name))
        finally:
            remove(tmp)


class UnwritableOrFullOutput(unittest.TestCase):
    def setUp(self):
        self.tmp = fresh_dir("outio")
        self.inp = self.tmp / "in"
        self.inp.mkdir()
        for i in range(3):
            (self.inp / f"p{i}.png").write_bytes(encoded(page_image(seed=20 + i), "PNG", dpi=(150, 150)))

    def tearDown(self):
        remove(self.tmp)

    def assert_no_half_written_record(self, out):
        records = out / "records"
        if not records.exists():
            return
        for d in records.iterdir():
            if d.name.startswith("."):
                continue  # a run's own temporary folder
            rec = json.loads((d / "record.json").read_text(encoding="utf-8"))
            self.assertTrue((d / "text.txt").exists())
            pdf_bytes = (d / "document.pdf").read_bytes()
            self.assertTrue(pdf_bytes.rstrip().endswith(b"%%EOF"), f"{d} has a truncated document.pdf")
            self.assertIn("source", rec)

    def test_output_below_a_file_stops_with_exit_1(self):
        (self.tmp / "file").write_text("x")
        proc = subprocess.run([BIN, "run", str(self.inp), "-o", str(self.tmp / "file" / "out")],
                              capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("output folder", proc.stderr)

    @unittest.skipUnless(can_mount(), "needs root and tmpfs mounts")
    def test_read_only_output_stops_with_exit_1(self):
        mnt = self.tmp / "ro"
        mnt.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(mnt)], check=True)
        try:
            proc = subprocess.run([BIN, "run", str(self.inp), "-o", str(mnt / "out")],
                                  capture_output=True, text=True, timeout=TIMEOUT)
            self.assertEqual(proc.returncode, 1, proc.stderr)
            self.assertIn("output folder", proc.stderr)
        finally:
            subprocess.run(["umount", str(mnt)], check=True)

    def run_on_full_disk(self, out, **popen):
        proc = subprocess.run([BIN, "run", str(self.inp), "-o", str(out), "--jobs", "2"],
                              capture_output=True, text=True, timeout=TIMEOUT, **popen)
        self.assertGreaterEqual(proc.returncode, 0, f"killed by signal {-proc.returncode}\n{proc.stderr}")
        self.assertIn(proc.returncode, (1, 3), proc.stderr)
        self.assertRegex(proc.stderr, r"(No space left|File too large|disk space)")
        self.assert_no_half_written_record(out)
        return proc

    def assert_rerun_with_space_finishes_the_work(self, out):
        proc = subprocess.run([BIN, "run", str(self.inp), "-o", str(out), "--jobs", "2"],
                              capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        result = sohoa_run.Output(out)
        for i in range(3):
            self.assertTrue(result.records_of(f"p{i}.png"), f"p{i}.png has no record after the rerun")

    @unittest.skipUnless(can_mount(), "needs root and tmpfs mounts")
    def test_full_disk_is_reported_and_leaves_no_half_written_record(self):
        mnt = self.tmp / "small"
        mnt.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=100k", "tmpfs", str(mnt)], check=True)
        try:
            self.run_on_full_disk(mnt / "out")
            subprocess.run(["mount", "-o", "remount,size=64m", str(mnt)], check=True)  # space freed
            self.assert_rerun_with_space_finishes_the_work(mnt / "out")
        finally:
            subprocess.run(["umount", str(mnt)], check=True)

    def test_file_size_limit_is_reported_like_a_full_disk(self):
        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead of killing
            resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 10, 16 << 10))
        self.run_on_full_disk(self.tmp / "out", preexec_fn=limit)

    def test_pages_lost_to_a_full_disk_are_redone_by_the_next_run(self):
        # When the image encoders cannot write their temporary files every page fails; such an
        # input must not count as done, so the rerun after space is freed writes its records.
        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 10, 16 << 10))
        self.run_on_full_disk(self.tmp / "out", preexec_fn=limit)
        self.assert_rerun_with_space_finishes_the_work(self.tmp / "out")


if __name__ == "__main__":
    unittest.main()
