#!/usr/bin/python3
"""Writes the seed corpora of the ingest fuzz targets into corpus/<target>/ (tiny files only).

Run again after changing it; the output is committed so fuzzing needs no Python.
"""
import io
import os
import shutil
import tarfile
import zipfile
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BAD = ROOT / "samples" / "bad"


def page(w=64, h=48, mode="L"):
    img = Image.new(mode, (w, h), 255 if mode != "RGB" else (255, 255, 240))
    d = ImageDraw.Draw(img)
    for y in range(6, h - 6, 8):
        d.rectangle([6, y, w - 10 - (y % 13), y + 3], fill=0 if mode != "RGB" else (20, 20, 90))
    return img


def encoded(img, fmt, **kw):
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def raster_seeds():
    s = {
        "gray.png": encoded(page(), "PNG", dpi=(200, 200)),
        "rgb.png": encoded(page(mode="RGB"), "PNG"),
        "bilevel.png": encoded(page().convert("1"), "PNG"),
        "palette.png": encoded(page(mode="RGB").convert("P"), "PNG"),
        "gray.jpg": encoded(page(), "JPEG", quality=30, dpi=(300, 300)),
        "rgb-progressive.jpg": encoded(page(mode="RGB"), "JPEG", quality=30, progressive=True),
        "g4.tif": encoded(page().convert("1"), "TIFF", compression="group4", dpi=(200, 200)),
        "lzw-rgb.tif": encoded(page(mode="RGB"), "TIFF", compression="tiff_lzw"),
        "jpeg.tif": encoded(page(mode="RGB"), "TIFF", compression="jpeg"),
        "gif.gif": encoded(page(), "GIF"),
        "bmp.bmp": encoded(page(16, 12), "BMP"),
    }
    buf = io.BytesIO()
    pages = [page(40, 30).convert("1"), page(30, 40), page(20, 20, "RGB")]
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:], compression="packbits")
    s["multipage.tif"] = buf.getvalue()
    # A header that claims 100000 x 100000 pixels.
    png = bytearray(s["gray.png"])
    png[16:24] = (100000).to_bytes(4, "big") * 2
    s["huge-claim.png"] = bytes(png)
    for name in ("truncated.jpg", "truncated.png"):
        s[name] = (BAD / name).read_bytes()
    return s


def pdf(objects, root=1):
    """A PDF with a correct xref; objects are bytes bodies numbered from 1."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def stream(dict_body, data):
    return b"<< " + dict_body + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def image_page_pdf(w, h, filt, data, extra=b""):
    img = stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d " % (w, h) + filt + extra, data)
    content = b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % (w, h)
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im0 4 0 R >> >>"
        b" /Contents 5 0 R >>" % (w, h),
        img,
        stream(b"", content),
    ])


def pdf_seeds():
    g = page()
    w, h = g.size
    s = {}
    s["dct.pdf"] = image_page_pdf(w, h, b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode",
                                  encoded(g, "JPEG", quality=30))
    s["flate-gray.pdf"] = image_page_pdf(w, h, b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                                         zlib.compress(g.tobytes()))
    s["flate-rgb.pdf"] = image_page_pdf(w, h, b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode",
                                        zlib.compress(page(mode="RGB").tobytes()))
    bw = g.convert("1")
    s["flate-1bit.pdf"] = image_page_pdf(w, h, b"/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode",
                                         zlib.compress(bw.tobytes()))
    # CCITT G4: the strip of a Pillow group4 TIFF (one strip, so the data is contiguous).
    tif = Image.open(io.BytesIO(encoded(bw, "TIFF", compression="group4")))
    off, cnt = tif.tag_v2[273][0], tif.tag_v2[279][0]
    g4 = encoded(bw, "TIFF", compression="group4")[off:off + cnt]
    s["ccitt-g4.pdf"] = image_page_pdf(w, h, b"/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode",
                                       g4, b" /DecodeParms << /K -1 /Columns %d /Rows %d >>" % (w, h))
    s["ccitt-blackis1.pdf"] = image_page_pdf(
        w, h, b"/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode", g4,
        b" /DecodeParms << /K -1 /Columns %d /Rows %d /BlackIs1 true >>" % (w, h))
    text = b"BT /F1 12 Tf 10 30 Td (Giay khai sinh so 123/2024 cap ngay 01/02/2024) Tj ET"
    s["text.pdf"] = pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 60] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream(b"", text),
    ])
    vector = b"0 0 1 rg 10 10 30 20 re f"
    s["vector.pdf"] = pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 50 40] /Rotate 90 /Contents 4 0 R >>",
        stream(b"", vector),
    ])
    broken = bytearray(s["dct.pdf"])
    x = broken.rfind(b"startxref\n") + len(b"startxref\n")
    broken[x:x + 3] = b"999"
    s["broken-xref.pdf"] = bytes(broken)
    for name in ("malformed.pdf", "encrypted.pdf"):
        s[name] = (BAD / name).read_bytes()
    return s


def tar_of(entries, mode="w"):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as t:
        for name, kind, data in entries:
            info = tarfile.TarInfo(name)
            info.type = kind
            if kind == tarfile.SYMTYPE:
                info.linkname = "/etc/passwd"
            if kind == tarfile.CHRTYPE:
                info.devmajor, info.devminor = 1, 3
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            t.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    return buf.getvalue()


def archive_seeds():
    png = encoded(page(24, 16), "PNG")
    s = {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("HS-1/a.png", png)
        z.writestr("../evil.png", png)
        z.writestr("/abs.png", png)
        z.writestr("HS-1/", b"")
        z.writestr("zeros.bin", b"\0" * 20000)
    s["mixed.zip"] = buf.getvalue()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("a.png", png)
    s["stored.zip"] = buf.getvalue()
    entries = [("ok/a.png", tarfile.REGTYPE, png), ("../up.png", tarfile.REGTYPE, png),
               ("link", tarfile.SYMTYPE, b""), ("null", tarfile.CHRTYPE, b""), ("dir", tarfile.DIRTYPE, b"")]
    s["mixed.tar"] = tar_of(entries)
    s["mixed.tar.gz"] = tar_of(entries, "w:gz")
    s["one.tar.xz"] = tar_of(entries[:1], "w:xz")
    s["broken.zip"] = (BAD / "broken.zip").read_bytes()
    return s


def main():
    for target, seeds in (("raster", raster_seeds()), ("pdf", pdf_seeds()), ("archive", archive_seeds())):
        d = HERE / "corpus" / target
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        for name, data in seeds.items():
            (d / name).write_bytes(data)
        print(target, len(seeds), "seeds,", sum(len(v) for v in seeds.values()), "bytes")


if __name__ == "__main__":
    main()
