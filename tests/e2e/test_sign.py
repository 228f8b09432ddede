"""The office's signature on every document.pdf, and its check by `sohoa verify` (issue 20).

A root CA, the office's certificate, a stranger CA and an expired certificate are made here with
the openssl command; pdfsig (Poppler, NSS) and qpdf judge the signed PDFs independently of sohoa.
One sample page is recognised once; every other output is a copy of that one, signed differently.
"""
import fcntl
import http.server
import json
import os
import threading
import re
import shutil
import subprocess
import tempfile
import unittest
import zipfile
from pathlib import Path

import sohoa_run

SHARED = Path(os.environ.get("SOHOA_SHARED", sohoa_run.ROOT.parent / "shared"))
TMP = None
UNSIGNED = None  # OUT of a run without --sign
SIGNED = None    # the same after `sohoa run --sign` (resumed: nothing recognised again)
OFFICE = "UBND xã Tân Phú"
PASS = "mật khẩu 123"

CA_CNF = """
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
policy = policy_any
default_days = 365
default_crl_days = 30
unique_subject = no
x509_extensions = signer_ext
utf8 = yes
string_mask = utf8only
[ policy_any ]
countryName = optional
organizationName = optional
commonName = supplied
[ signer_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {dir}/tsaserial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def sh(*args, **kw):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kw)
    if r.returncode != 0:
        raise AssertionError(f"{args} exited {r.returncode}: {r.stdout}{r.stderr}")
    return r


class CA:
    """A certificate authority in a folder, driven by `openssl ca`."""

    def __init__(self, root, name):
        self.dir = Path(root) / name
        (self.dir / "newcerts").mkdir(parents=True)
        (self.dir / "index.txt").write_text("")
        (self.dir / "serial").write_text("1000\n")
        (self.dir / "crlnumber").write_text("01\n")
        self.cnf = self.dir / "ca.cnf"
        self.cnf.write_text(CA_CNF.format(dir=self.dir))
        self.key, self.cert = self.dir / "ca.key", self.dir / "ca.pem"
        sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", self.key, "-out", self.cert,
           "-days", "3650", "-subj", f"/CN={name}/O=sohoa tests", "-addext", "basicConstraints=critical,CA:TRUE",
           "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def issue(self, name, subject, start=None, end=None, ext="signer_ext"):
        key, csr, pem = self.dir / f"{name}.key", self.dir / f"{name}.csr", self.dir / f"{name}.pem"
        sh("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-utf8",
           "-subj", subject)
        dates = ["-startdate", start, "-enddate", end] if start else []
        sh("openssl", "ca", "-batch", "-config", self.cnf, "-cert", self.cert, "-keyfile", self.key, "-in", csr,
           "-out", pem, "-notext", "-extensions", ext, *dates)
        return key, pem

    def p12(self, name, key, pem, passfile):
        out = self.dir / f"{name}.p12"
        sh("openssl", "pkcs12", "-export", "-inkey", key, "-in", pem, "-certfile", self.cert, "-out", out,
           "-passout", f"file:{passfile}", "-name", name)
        return out

    def revoke(self, pem):
        crl = self.dir / "ca.crl"
        sh("openssl", "ca", "-config", self.cnf, "-cert", self.cert, "-keyfile", self.key, "-revoke", pem)
        sh("openssl", "ca", "-config", self.cnf, "-cert", self.cert, "-keyfile", self.key, "-gencrl", "-out", crl)
        return crl


def sohoa(*args, env=None):
    return subprocess.run([sohoa_run.BIN, *map(str, args)], capture_output=True, text=True, timeout=1800,
                          env=env or os.environ)


def copy_out(name):
    dst = TMP / name
    shutil.copytree(UNSIGNED, dst)
    return dst


def pdfs(out):
    return sorted(Path(out).glob("records/*/document.pdf"))


def setUpModule():
    global TMP, UNSIGNED, SIGNED, ROOT_CA, STRANGER_CA, OFFICE_P12, PASSFILE, TRUST, STRANGER_P12, EXPIRED, ROOT_P12_PARTS
    TMP = Path(tempfile.mkdtemp(prefix="sohoa-e2e-sign-"))
    PASSFILE = TMP / "pass.txt"
    PASSFILE.write_text(PASS + "\n", encoding="utf-8")
    ROOT_CA = CA(TMP, "Test Root CA")
    key, pem = ROOT_CA.issue("office", f"/C=VN/O={OFFICE}/CN=Bộ phận Một cửa")
    ROOT_P12_PARTS = (key, pem)
    OFFICE_P12 = ROOT_CA.p12("office", key, pem, PASSFILE)
    EXPIRED = ROOT_CA.issue("expired", "/C=VN/O=UBND xã Cũ/CN=Hết hạn", "20200101000000Z", "20210101000000Z")
    STRANGER_CA = CA(TMP, "Stranger CA")
    STRANGER_P12 = STRANGER_CA.p12("stranger", *STRANGER_CA.issue("stranger", "/C=VN/O=Không quen/CN=Ai đó"), PASSFILE)
    TRUST = TMP / "trust"
    TRUST.mkdir()
    shutil.copy(ROOT_CA.cert, TRUST / "root.pem")

    # One dossier of one page; the run without --sign is the template every test copies.
    inp = TMP / "in" / "HS-SIGN-1"
    inp.mkdir(parents=True)
    shutil.copy(sohoa_run.SAMPLES / "scans" / "HS-000123" / "bien-nhan.png", inp / "bien-nhan.png")
    UNSIGNED = TMP / "unsigned"
    proc = sohoa("run", TMP / "in", "-o", UNSIGNED, "-q", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    # `run --sign` over the same OUT: the input is resumed, its records are signed, packages rewritten.
    SIGNED = copy_out("signed")
    proc = sohoa("run", TMP / "in", "-o", SIGNED, "-q", "--jobs", "1", "--sign", OFFICE_P12,
                 "--sign-pass-env", "OFFICE_PASS", env=dict(os.environ, OFFICE_PASS=PASS))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 documents signed" in proc.stdout, proc.stdout


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


def nss_db():
    """A temporary NSS database trusting the test root, for pdfsig."""
    nss = TMP / "nss"
    if not nss.exists():
        nss.mkdir()
        sh("certutil", "-N", "-d", f"sql:{nss}", "--empty-password")
        sh("certutil", "-A", "-d", f"sql:{nss}", "-n", "sohoa test root", "-t", "CT,C,C", "-i", ROOT_CA.cert)
    return f"sql:{nss}"


def assert_pdfsig_valid(test, pdf):
    r = sh("pdfsig", "-nssdir", nss_db(), pdf)
    test.assertIn("Signature Validation: Signature is Valid.", r.stdout)
    test.assertIn("Certificate Validation: Certificate is Trusted.", r.stdout)
    return r.stdout


def byte_range(data):
    m = list(re.finditer(rb"/ByteRange \[0 (\d+) (\d+) (\d+)\]", data))[-1]
    return tuple(int(x) for x in m.groups())


class SignedPdf(unittest.TestCase):
    def test_pdfsig_reports_valid_signature_and_trusted_chain(self):
        (pdf,) = pdfs(SIGNED)
        stdout = assert_pdfsig_valid(self, pdf)
        self.assertIn("Bộ phận Một cửa", stdout)  # signer common name
        self.assertIn("Signature Type: ETSI.CAdES.detached", stdout)
        self.assertIn("Total document signed", stdout)
        # The same file against an empty NSS database: pdfsig must not call it trusted.
        empty = TMP / "nss-empty"
        if not empty.exists():
            empty.mkdir()
            sh("certutil", "-N", "-d", f"sql:{empty}", "--empty-password")
        r = subprocess.run(["pdfsig", "-nssdir", f"sql:{empty}", str(pdf)], capture_output=True, text=True)
        self.assertNotIn("Certificate is Trusted", r.stdout)

    def test_qpdf_accepts_and_the_unsigned_file_is_kept_byte_for_byte(self):
        (signed,) = pdfs(SIGNED)
        (unsigned,) = pdfs(UNSIGNED)
        r = sh("qpdf", "--check", signed)
        self.assertIn("No syntax or stream encoding errors", r.stdout)
        a, b = unsigned.read_bytes(), signed.read_bytes()
        self.assertTrue(b.startswith(a), "the signature must be an incremental update")
        start, end_contents, rest = byte_range(b)
        self.assertEqual(end_contents + rest, len(b))  # the signature covers the whole file
        self.assertGreater(start, len(a))

    def test_pdfa_markers_survive(self):
        (pdf,) = pdfs(SIGNED)
        meta = sh("pdfinfo", "-meta", pdf).stdout
        self.assertRegex(meta, r"pdfaid:part>\s*2|pdfaid:part=\"2\"")
        self.assertRegex(meta, r"pdfaid:conformance>\s*B|pdfaid:conformance=\"B\"")
        objects = json.loads(sh("qpdf", "--json=1", "--json-key=objects", pdf).stdout)["objects"]
        root = objects[objects["trailer"]["/Root"]]
        self.assertIn("/OutputIntents", root)
        self.assertIn("/Metadata", root)
        self.assertEqual(root["/AcroForm"]["/SigFlags"], 3)
        widgets = [o for o in objects.values() if isinstance(o, dict) and o.get("/FT") == "/Sig"]
        self.assertEqual(len(widgets), 1)
        w = widgets[0]
        self.assertEqual(w["/F"] & 4, 4)  # printable: PDF/A forbids hidden annotations
        self.assertEqual(w["/Rect"], [0, 0, 0, 0])
        self.assertEqual(w["/T"], OFFICE)  # named for the office (the certificate's O)


class Verify(unittest.TestCase):
    def test_accepts_the_signed_output_and_package(self):
        r = sohoa("verify", SIGNED, "--trust", TRUST)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("2 signature(s) checked", r.stdout)  # the record's document.pdf and its copy in the package
        (zpath,) = (SIGNED / "packages").glob("*.zip")
        r = sohoa("verify", zpath, "--trust", TRUST)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("1 signature(s) checked", r.stdout)

    def test_unsigned_output_fails_when_signatures_are_required(self):
        r = sohoa("verify", UNSIGNED, "--trust", TRUST)
        self.assertEqual(r.returncode, 5, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"records/[0-9a-f]{16}-p001-001: document.pdf: not signed")
        self.assertEqual(sohoa("verify", UNSIGNED).returncode, 0)

    def test_flipped_byte_after_signing_is_named(self):
        out = TMP / "flipped"
        shutil.copytree(SIGNED, out)
        (pdf,) = pdfs(out)
        data = bytearray(pdf.read_bytes())
        data[len(data) // 3] ^= 0x01  # inside the page image, well before the signature
        pdf.write_bytes(bytes(data))
        r = sohoa("verify", out, "--trust", TRUST)
        self.assertEqual(r.returncode, 5)
        rid = pdf.parent.name
        self.assertIn(f"records/{rid}: document.pdf: signature \"{OFFICE}\" by ", r.stdout)
        self.assertIn("modified after signing: the signed bytes no longer match the signature", r.stdout)

    def test_bytes_appended_after_signing_are_named(self):
        out = TMP / "appended"
        shutil.copytree(SIGNED, out)
        (pdf,) = pdfs(out)
        pdf.write_bytes(pdf.read_bytes() + b"% one more line\n")
        r = sohoa("verify", out)  # integrity is checked even without --trust
        self.assertEqual(r.returncode, 5)
        self.assertIn("modified after signing: 16 bytes were added after the signed part", r.stdout)

    def test_unknown_signer_is_named(self):
        out = copy_out("stranger")
        r = sohoa("sign", out, "--sign", STRANGER_P12, "--sign-pass-file", PASSFILE)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = sohoa("verify", out, "--trust", TRUST)
        self.assertEqual(r.returncode, 5)
        self.assertIn("unknown signer: CN=Ai đó,O=Không quen,C=VN (issued by O=sohoa tests,CN=Stranger CA) "
                      "does not chain to a certificate of the trust folder", r.stdout)
        # The package says the same about its copy of the document.
        self.assertRegex(r.stdout, r"packages/HS-SIGN-1.zip:HS-SIGN-1.1: HS-SIGN-1/data/representations/rep1/data/"
                                   r"HS-SIGN-1.1.pdf: signature .*unknown signer")

    def test_expired_certificate_is_named(self):
        # A third party's signature: openssl cms with an expired certificate, in sohoa's placeholder.
        out = TMP / "expired"
        shutil.copytree(SIGNED, out)
        (pdf,) = pdfs(out)
        data = pdf.read_bytes()
        a, b, c = byte_range(data)
        content = TMP / "expired-content.bin"
        content.write_bytes(data[:a] + data[b:b + c])
        key, pem = EXPIRED
        sig = TMP / "expired.der"
        sh("openssl", "cms", "-sign", "-binary", "-in", content, "-signer", pem, "-inkey", key, "-certfile",
           ROOT_CA.cert, "-md", "sha256", "-cades", "-nosmimecap", "-outform", "DER", "-out", sig)
        hexsig = sig.read_bytes().hex().encode()
        self.assertLessEqual(len(hexsig), b - a - 2)
        pdf.write_bytes(data[:a + 1] + hexsig + b"0" * (b - a - 2 - len(hexsig)) + data[b - 1:])
        r = sohoa("verify", out, "--trust", TRUST)
        self.assertEqual(r.returncode, 5)
        self.assertRegex(r.stdout, r"certificate expired: CN=Hết hạn,O=UBND xã Cũ,C=VN was valid until "
                                   r"2021-01-01 00:00:00 UTC, signed 20\d\d-")
        self.assertNotIn("modified after signing", r.stdout)  # the bytes are intact, only the certificate is not

    def test_revoked_certificate_is_named(self):
        out = TMP / "revoked"
        shutil.copytree(SIGNED, out)
        crl = ROOT_CA.revoke(ROOT_P12_PARTS[1])
        r = sohoa("verify", out, "--trust", TRUST, "--crl", crl)
        self.assertEqual(r.returncode, 5)
        self.assertRegex(r.stdout, r"certificate revoked: CN=Bộ phận Một cửa,O=UBND xã Tân Phú,C=VN \(serial 1000\) "
                                   r"is listed in the CRL of O=sohoa tests,CN=Test Root CA")
        self.assertEqual(sohoa("verify", out, "--trust", TRUST).returncode, 0)


class Package(unittest.TestCase):
    def test_premis_and_mets_record_the_signature_and_chain(self):
        (zpath,) = (SIGNED / "packages").glob("*.zip")
        with zipfile.ZipFile(zpath) as z:
            names = z.namelist()
            premis = z.read("HS-SIGN-1/data/metadata/preservation/premis.xml").decode()
            mets = z.read("HS-SIGN-1/data/METS.xml").decode()
            chains = [n for n in names if n.startswith("HS-SIGN-1/data/metadata/preservation/certificates/")]
            self.assertEqual(len(chains), 1)
            chain = z.read(chains[0]).decode()
            signed_pdf = z.read("HS-SIGN-1/data/representations/rep1/data/HS-SIGN-1.1.pdf")
        self.assertEqual(signed_pdf, pdfs(SIGNED)[0].read_bytes())
        self.assertIn("<premis:eventType>digital signature generation</premis:eventType>", premis)
        self.assertIn("by CN=Bộ phận Một cửa,O=UBND xã Tân Phú,C=VN, certificate serial 1000 issued by "
                      "O=sohoa tests,CN=Test Root CA", premis)
        self.assertRegex(premis, r"<premis:agentName>CN=Bộ phận Một cửa,O=UBND xã Tân Phú,C=VN</premis:agentName>"
                                 r"<premis:agentType>organization</premis:agentType>")
        self.assertEqual(chain.count("BEGIN CERTIFICATE"), 2)  # the office, then the root
        self.assertIn(ROOT_CA.cert.read_text().strip(), chain)
        self.assertIn('OTHERMDTYPE="X.509 CERTIFICATE CHAIN (PEM)"', mets)
        schema = SHARED / "schemas" / "mets-1.12.1.xsd"
        if not schema.exists():
            self.skipTest(f"METS schema not found in {SHARED}/schemas (set SOHOA_SHARED); the rest was checked")
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "METS.xml").write_text(mets, encoding="utf-8")
            r = subprocess.run(["xmllint", "--nonet", "--noout", "--schema", str(schema), str(Path(tmp) / "METS.xml")],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)


class BadKeys(unittest.TestCase):
    """A key that cannot sign stops before anything is touched."""

    def assert_untouched(self, out):
        for pdf in pdfs(out):
            self.assertNotIn(b"/ByteRange", pdf.read_bytes())

    def test_wrong_passphrase(self):
        out = copy_out("wrongpass")
        wrong = TMP / "wrong.txt"
        wrong.write_text("not it\n")
        r = sohoa("sign", out, "--sign", OFFICE_P12, "--sign-pass-file", wrong)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"sohoa: cannot sign: {OFFICE_P12}: wrong passphrase", r.stderr)
        self.assert_untouched(out)

    def test_expired_certificate_refused(self):
        out = copy_out("expiredkey")
        p12 = ROOT_CA.p12("expired", *EXPIRED, PASSFILE)
        r = sohoa("sign", out, "--sign", p12, "--sign-pass-file", PASSFILE)
        self.assertEqual(r.returncode, 1)
        self.assertIn("expired on 2021-01-01 00:00:00 UTC: nothing signed", r.stderr)
        self.assert_untouched(out)

    def test_run_with_a_bad_key_does_no_work(self):
        out = TMP / "badrun"
        r = sohoa("run", TMP / "in", "-o", out, "-q", "--sign", OFFICE_P12, "--sign-pass-env", "SOHOA_NO_SUCH_VAR")
        self.assertEqual(r.returncode, 1)
        self.assertIn("SOHOA_NO_SUCH_VAR", r.stderr)
        self.assertFalse((out / "records").exists())

    def test_sign_waits_for_no_running_batch(self):
        out = copy_out("busy")
        with open(out / ".sohoa.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running `sohoa run` holds it
            r = sohoa("sign", out, "--sign", OFFICE_P12, "--sign-pass-file", PASSFILE)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertIn("another sohoa run is writing to", r.stderr)
        self.assert_untouched(out)

    def test_passphrase_never_on_the_command_line(self):
        r = sohoa("sign", UNSIGNED, "--sign", OFFICE_P12, "--sign-pass", PASS)
        self.assertEqual(r.returncode, 2)


class TimeStamps(unittest.TestCase):
    """PAdES B-T: an RFC 3161 time-stamp authority (`openssl ts -reply` behind a loopback HTTP server)."""

    @classmethod
    def setUpClass(cls):
        (ROOT_CA.dir / "tsaserial").write_text("01\n")
        cls.default = ROOT_CA.issue("tsa", "/C=VN/O=sohoa tests/CN=Test TSA", ext="tsa_ext") + (ROOT_CA,)
        cls.tsa_key = None
        cls.requests = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                query = self.rfile.read(int(self.headers["Content-Length"]))
                cls.requests += 1
                key, pem, ca = (cls.current.tsa_key, cls.current.tsa_pem, cls.current.tsa_ca) \
                    if cls.current and cls.current.tsa_key else cls.default
                q, a = ca.dir / "ts.tsq", ca.dir / "ts.tsr"
                q.write_bytes(query)
                subprocess.run(["openssl", "ts", "-reply", "-config", str(ca.cnf), "-queryfile", str(q), "-inkey",
                                str(key), "-signer", str(pem), "-chain", str(ca.cert), "-out", str(a)],
                               check=True, capture_output=True)
                body = a.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        cls.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.url = f"http://127.0.0.1:{cls.server.server_address[1]}/tsa"
        cls.current = None

    def setUp(self):
        type(self).current = self

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def test_b_t_signature_is_timestamped_and_verified(self):
        out = copy_out("timestamped")
        before = type(self).requests
        r = sohoa("sign", out, "--sign", OFFICE_P12, "--sign-pass-file", PASSFILE, "--tsa", self.url)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(type(self).requests - before, 2)  # one when the key is opened (TSA check), one for the document
        (pdf,) = pdfs(out)
        data = pdf.read_bytes()
        a, b, _ = byte_range(data)
        der = TMP / "bt.der"
        # The CMS is one DER SEQUENCE, zero-padded to fill /Contents: cut it at the length its
        # header gives (stripping the zeros also cut a signature whose own last bytes were 0).
        raw = bytes.fromhex(data[a + 1:b - 1].decode())
        self.assertEqual(raw[0], 0x30)
        n = raw[1]
        head, length = (2, n) if n < 0x80 else (2 + (n & 0x7F), int.from_bytes(raw[2:2 + (n & 0x7F)], "big"))
        der.write_bytes(raw[:head + length])
        printed = sh("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", der).stdout
        self.assertIn("id-smime-aa-timeStampToken", printed)
        assert_pdfsig_valid(self, pdf)
        r = sohoa("verify", out, "--trust", TRUST)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with zipfile.ZipFile(next((out / "packages").glob("*.zip"))) as z:
            premis = z.read("HS-SIGN-1/data/metadata/preservation/premis.xml").decode()
        self.assertIn("PAdES B-T (ETSI.CAdES.detached)", premis)
        self.assertIn("time from an RFC 3161 time-stamp", premis)

    def test_time_stamp_of_an_untrusted_tsa_is_named(self):
        # The same office signs, time-stamped by a TSA under the stranger CA, which the receiver does not trust.
        key, pem = STRANGER_CA.issue("tsa2", "/C=VN/O=Không quen/CN=Other TSA", ext="tsa_ext")
        (STRANGER_CA.dir / "tsaserial").write_text("01\n")
        self.tsa_key, self.tsa_pem, self.tsa_ca = key, pem, STRANGER_CA
        try:
            out = copy_out("untrusted-tsa")
            r = sohoa("sign", out, "--sign", OFFICE_P12, "--sign-pass-file", PASSFILE, "--tsa", self.url)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        finally:
            self.tsa_key = None
        r = sohoa("verify", out, "--trust", TRUST)
        self.assertEqual(r.returncode, 5, r.stdout)
        self.assertIn("its time-stamp token does not hold", r.stdout)
        both = TMP / "trust-both"
        both.mkdir(exist_ok=True)
        shutil.copy(ROOT_CA.cert, both / "root.pem")
        shutil.copy(STRANGER_CA.cert, both / "stranger.pem")
        r = sohoa("verify", out, "--trust", both)
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_unreachable_tsa_signs_nothing(self):
        out = copy_out("notsa")
        r = sohoa("sign", out, "--sign", OFFICE_P12, "--sign-pass-file", PASSFILE, "--tsa", "http://127.0.0.1:9/tsa")
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot sign: time-stamp authority http://127.0.0.1:9/tsa: no answer", r.stderr)
        BadKeys.assert_untouched(self, out)


SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
ENGINE = Path("/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so")


@unittest.skipUnless(shutil.which("softhsm2-util") and SOFTHSM_MODULE.exists() and shutil.which("pkcs11-tool"),
                     "SoftHSM2 or OpenSC's pkcs11-tool missing (Debian: softhsm2, opensc)")
class Token(unittest.TestCase):
    """The office's key on a PKCS#11 token; SoftHSM2 stands in for the USB token."""

    @classmethod
    def setUpClass(cls):
        probe = subprocess.run(["openssl", "engine", "pkcs11", "-t"], capture_output=True, text=True)
        if probe.returncode != 0 or "available" not in probe.stdout:
            raise unittest.SkipTest("OpenSSL's pkcs11 engine does not load (Debian: libengine-pkcs11-openssl): "
                                    + probe.stdout + probe.stderr)
        d = TMP / "softhsm"
        (d / "tokens").mkdir(parents=True)
        conf = d / "softhsm2.conf"
        conf.write_text(f"directories.tokendir = {d / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
        cls.env = dict(os.environ, SOFTHSM2_CONF=str(conf), TOKEN_PIN="4321")
        run = lambda *a: sh(*a, env=cls.env)
        run("softhsm2-util", "--init-token", "--free", "--label", "sohoa-office", "--pin", "4321", "--so-pin", "87654321")
        key, pem = ROOT_P12_PARTS
        p8 = d / "office.p8"
        run("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", key, "-out", p8)
        run("softhsm2-util", "--import", p8, "--token", "sohoa-office", "--label", "office", "--id", "01",
            "--pin", "4321")
        der = d / "office.der"
        run("openssl", "x509", "-in", pem, "-outform", "DER", "-out", der)
        run("pkcs11-tool", "--module", SOFTHSM_MODULE, "--token-label", "sohoa-office", "--login", "--pin", "4321",
            "--write-object", der, "--type", "cert", "--id", "01", "--label", "office")
        cls.uri = "pkcs11:token=sohoa-office;object=office"

    def sign(self, out, *extra):
        return sohoa("sign", out, "--sign", self.uri, "--pkcs11-module", SOFTHSM_MODULE, "--sign-pass-env",
                     "TOKEN_PIN", *extra, env=self.env)

    def test_token_signs_and_verify_accepts(self):
        out = copy_out("token")
        r = self.sign(out, "--sign-chain", ROOT_CA.cert)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("1 documents signed", r.stdout)
        r = sohoa("verify", out, "--trust", TRUST)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("2 signature(s) checked", r.stdout)
        (pdf,) = pdfs(out)
        self.assertIn(b"/SubFilter /ETSI.CAdES.detached", pdf.read_bytes())
        assert_pdfsig_valid(self, pdf)

    def test_missing_token(self):
        out = copy_out("notoken")
        r = sohoa("sign", out, "--sign", "pkcs11:token=not-plugged-in;object=office", "--pkcs11-module",
                  SOFTHSM_MODULE, "--sign-pass-env", "TOKEN_PIN", env=self.env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no private key at pkcs11:token=not-plugged-in;object=office", r.stderr)
        BadKeys.assert_untouched(self, out)

    def test_wrong_pin(self):
        out = copy_out("wrongpin")
        r = sohoa("sign", out, "--sign", self.uri, "--pkcs11-module", SOFTHSM_MODULE, "--sign-pass-env", "BAD_PIN",
                  env=dict(self.env, BAD_PIN="0000"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("sohoa: cannot sign:", r.stderr)
        BadKeys.assert_untouched(self, out)

    def test_key_not_matching_certificate(self):
        out = copy_out("mismatch")
        r = self.sign(out, "--sign-cert", EXPIRED[1])
        self.assertEqual(r.returncode, 1)
        self.assertIn("the private key does not match the certificate of CN=Hết hạn", r.stderr)
        BadKeys.assert_untouched(self, out)

    def test_pin_in_the_uri_is_refused(self):
        r = sohoa("sign", UNSIGNED, "--sign", self.uri + "?pin-value=4321", "--pkcs11-module", SOFTHSM_MODULE,
                  env=self.env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("the PIN does not go in the key URI", r.stderr)


if __name__ == "__main__":
    unittest.main()
