"""Test helper: a CA made on the spot, and PDF signatures the way signing tools add them.

Each signature is an incremental update (a signature dictionary with a /ByteRange placeholder, a
visible widget whose appearance says "Ky boi: ..." and the time, the page's /Annots and the
AcroForm extended), the CMS made by `openssl cms` over the byte ranges: adbe.pkcs7.detached, or
ETSI.CAdES.detached (`-cades`: the ESS signing-certificate-v2 attribute). qpdf prints the objects
that are rewritten, so any PDF qpdf reads can be signed again and again.
"""
import re
import subprocess
from pathlib import Path

CONTENTS_HEX = 16384  # hex digits reserved for the CMS


def sh(*cmd, cwd=None):
    subprocess.run([str(c) for c in cmd], check=True, capture_output=True, cwd=cwd)


class CA:
    """A root CA with an `openssl ca` database, so certificates can be revoked and a CRL issued."""

    def __init__(self, folder, name="Test Root CA"):
        self.dir = Path(folder)
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "index.txt").write_text("")
        (self.dir / "serial").write_text("1000\n")
        (self.dir / "crlnumber").write_text("01\n")
        (self.dir / "ca.cnf").write_text(f"""[ca]
default_ca = test
[test]
dir = {self.dir}
database = $dir/index.txt
serial = $dir/serial
crlnumber = $dir/crlnumber
new_certs_dir = $dir
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
default_crl_days = 36500
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
organizationName = optional
countryName = optional
localityName = optional
[signer]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, nonRepudiation
""")
        sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", self.dir / "ca.key",
           "-out", self.dir / "ca.pem", "-days", "36500", "-subj", f"/C=VN/O=Test/CN={name}",
           "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def issue(self, stem, subject, start="20200101000000Z", end="20991231000000Z"):
        """Key and certificate of a signer; subject like '/C=VN/O=UBND/CN=Nguyễn Văn An'."""
        key, csr, pem = (self.dir / f"{stem}.{e}" for e in ("key", "csr", "pem"))
        sh("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-utf8",
           "-subj", subject)
        sh("openssl", "ca", "-batch", "-config", self.dir / "ca.cnf", "-extensions", "signer", "-utf8",
           "-startdate", start, "-enddate", end, "-in", csr, "-out", pem, "-notext")
        return key, pem

    def revoke(self, pem):
        sh("openssl", "ca", "-config", self.dir / "ca.cnf", "-revoke", pem)

    def crl(self, out):
        sh("openssl", "ca", "-config", self.dir / "ca.cnf", "-gencrl", "-out", out)


def _show(pdf, what):
    return subprocess.run(["qpdf", f"--show-object={what}", str(pdf)], check=True, capture_output=True,
                          text=True).stdout.strip()


def _startxref(data):
    return int(re.findall(rb"startxref\s+(\d+)", data)[-1])


def sign(pdf_in, pdf_out, key, cert, *, cades=False, page=1, rect=(330, 40, 560, 110), signer="Test signer",
         when="D:20250108103049+07'00'", chain=()):
    """Appends one signature to pdf_in, written to pdf_out."""
    data = Path(pdf_in).read_bytes()
    trailer = _show(pdf_in, "trailer")
    size = int(re.search(r"/Size (\d+)", trailer).group(1))
    root = int(re.search(r"/Root (\d+) 0 R", trailer).group(1))
    pages = subprocess.run(["qpdf", "--show-pages", str(pdf_in)], check=True, capture_output=True, text=True).stdout
    page_obj = int(re.findall(r"page \d+: (\d+) 0 R", pages)[page - 1])
    catalog = _show(pdf_in, root)
    page_dict = _show(pdf_in, page_obj)
    n = len(re.findall(r"/FT /Sig", data.decode("latin-1"))) + 1

    sig_o, widget_o, ap_o, font_o = size, size + 1, size + 2, size + 3
    acro_o = size + 4
    # The page's annotations and the form's fields, extended (inline or referenced arrays alike).
    m = re.search(r"/Annots (\d+) 0 R", page_dict)
    annots = _show(pdf_in, m.group(1)).strip("[] ") if m else ""
    m2 = re.search(r"/Annots \[([^\]]*)\]", page_dict)
    if m2:
        annots = m2.group(1)
    page_dict = re.sub(r"/Annots (\[[^\]]*\]|\d+ 0 R)", "", page_dict)
    page_dict = page_dict.rstrip()[:-2] + f" /Annots [ {annots} {widget_o} 0 R ] >>"
    fields = ""
    m = re.search(r"/AcroForm (\d+) 0 R", catalog)
    if m:
        form = _show(pdf_in, m.group(1))
        acro_o = int(m.group(1))
        fields = re.search(r"/Fields \[([^\]]*)\]", form).group(1)
    catalog = re.sub(r"/AcroForm (<<.*?>>|\d+ 0 R)", "", catalog, flags=re.S)
    catalog = catalog.rstrip()[:-2] + f" /AcroForm {acro_o} 0 R >>"

    w, h = rect[2] - rect[0], rect[3] - rect[1]
    ap = (f"BT /F1 9 Tf 4 {h - 14} Td (Ky boi: {signer}) Tj 0 -13 Td (Email: van.thu@example.vn) Tj "
          f"0 -13 Td (Thoi gian ky: 08.01.2025 10:30:49 +07:00) Tj ET").encode()
    sub_filter = "ETSI.CAdES.detached" if cades else "adbe.pkcs7.detached"
    byte_range_slot = b"/ByteRange [0 0000000000 0000000000 0000000000]"
    objs = {
        sig_o: b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /" + sub_filter.encode() + b" " + byte_range_slot +
               b" /Contents <" + b"0" * CONTENTS_HEX + b"> /M (" + when.encode() + b") >>",
        widget_o: (f"<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 /T (Signature{n}) /V {sig_o} 0 R /P {page_obj} 0 R "
                   f"/Rect [{rect[0]} {rect[1]} {rect[2]} {rect[3]}] /AP << /N {ap_o} 0 R >> >>").encode(),
        ap_o: (f"<< /Type /XObject /Subtype /Form /BBox [0 0 {w} {h}] /Resources << /Font << /F1 {font_o} 0 R >> >> "
               f"/Length {len(ap)} >>\nstream\n").encode() + ap + b"\nendstream",
        font_o: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Oblique /Encoding /WinAnsiEncoding >>",
        acro_o: f"<< /Fields [ {fields} {widget_o} 0 R ] /SigFlags 3 >>".encode(),
        page_obj: page_dict.encode(),
        root: catalog.encode(),
    }
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += f"{num} 0 obj\n".encode() + objs[num] + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n"
    for num in sorted(offsets):
        out += f"{num} 1\n{offsets[num]:010d} 00000 n \n".encode()
    new_size = max(size, max(objs) + 1)
    out += (f"trailer\n<< /Size {new_size} /Root {root} 0 R /Prev {_startxref(data)} >>\nstartxref\n{xref_at}\n%%EOF\n").encode()

    # The byte ranges: everything but the <hex> of /Contents.
    at = out.index(b"/Contents <", offsets[sig_o]) + len(b"/Contents ")
    end = at + 2 + CONTENTS_HEX
    ranges = f"/ByteRange [0 {at:010d} {end:010d} {len(out) - end:010d}]".encode()
    assert len(ranges) == len(byte_range_slot)
    slot = out.index(byte_range_slot, offsets[sig_o])
    out[slot:slot + len(ranges)] = ranges
    signed = bytes(out[:at]) + bytes(out[end:])
    folder = Path(pdf_out).parent
    (folder / ".tbs").write_bytes(signed)
    cmd = ["openssl", "cms", "-sign", "-binary", "-outform", "DER", "-in", folder / ".tbs", "-signer", cert,
           "-inkey", key, "-md", "sha256", "-out", folder / ".cms"]
    if cades:
        cmd.append("-cades")
    for c in chain:
        cmd += ["-certfile", c]
    sh(*cmd)
    cms = (folder / ".cms").read_bytes().hex().encode()
    assert len(cms) <= CONTENTS_HEX
    out[at + 1:at + 1 + len(cms)] = cms
    (folder / ".tbs").unlink()
    (folder / ".cms").unlink()
    Path(pdf_out).write_bytes(bytes(out))
