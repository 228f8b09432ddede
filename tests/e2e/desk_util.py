"""Helpers for the review desk's tests: an OUT made from one sample dossier, and `sohoa review` over it."""
import hashlib
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import sohoa_run

DOSSIER = "HS-000123"


def make_out(tag, dossier=DOSSIER):
    """A temporary folder with in/<dossier> (a sample dossier, HS-000123 unless said) and out/ from `sohoa run`."""
    tmp = Path(tempfile.mkdtemp(prefix=f"sohoa-e2e-{tag}-"))
    shutil.copytree(sohoa_run.SAMPLES / "scans" / dossier, tmp / "in" / dossier)
    proc = subprocess.run([sohoa_run.BIN, "run", tmp / "in", "-o", tmp / "out", "-q"], capture_output=True, text=True,
                          timeout=1800)
    assert proc.returncode == 0, proc.stderr
    return tmp


def copy_out(tmp, name):
    dst = tmp / name
    shutil.copytree(tmp / "out", dst)
    return dst


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Desk:
    """`sohoa review OUT` on a free port; stopped (SIGTERM) by stop(), or killed by kill9()."""

    def __init__(self, out, token="t0ken-bi-mat-18", user="Nguyễn Thị Lan", *extra):
        self.out, self.token = Path(out), token
        args = [sohoa_run.BIN, "review", str(out), "--listen", "127.0.0.1:0", "--user", user, *extra]
        if token is not None:
            args += ["--token", token]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.port = None
        self.printed = []
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.printed.append(line)
            m = re.search(r"http://127\.0\.0\.1:(\d+)/ ; open \S+\?token=(\S+)", line)
            if m:
                self.port = int(m.group(1))
                self.token = m.group(2)
                break
        if self.port is None:
            self.proc.kill()
            raise AssertionError("sohoa review did not start: " + "".join(self.printed) + self.proc.stderr.read())

    def request(self, method, path, body=None, token=True, headers=None, raw=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        h = dict(headers or {})
        if token is True:
            h["Authorization"] = "Bearer " + self.token
        elif isinstance(token, str):
            h["Authorization"] = "Bearer " + token
        data = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode() if body is not None else None)
        if data is not None:
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        payload = r.read()
        conn.close()
        try:
            parsed = json.loads(payload)
        except ValueError:
            parsed = None
        return r.status, parsed, payload, r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()

    def kill9(self):
        self.proc.kill()  # SIGKILL
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


def record_path(out, rid):
    return Path(out) / "records" / rid / "record.json"


def load_record(out, rid):
    return json.loads(record_path(out, rid).read_text(encoding="utf-8"))


def package_record(out, dossier, rid):
    """The record.json copy a dossier's package holds for a record id, and the package's PREMIS."""
    with zipfile.ZipFile(Path(out) / "packages" / f"{dossier}.zip") as z:
        premis = z.read(f"{dossier}/data/metadata/preservation/premis.xml").decode()
        for n in z.namelist():
            if n.startswith(f"{dossier}/data/metadata/descriptive/") and n.endswith(".json"):
                rec = json.loads(z.read(n))
                if rec["id"] == rid:
                    return rec, premis
    return None, premis


def verify(target):
    return subprocess.run([sohoa_run.BIN, "verify", str(target)], capture_output=True, text=True, timeout=600)


def search(out, *words):
    proc = subprocess.run([sohoa_run.BIN, "search", str(out), *words, "--json"], capture_output=True, text=True, timeout=120)
    return json.loads(proc.stdout) if proc.stdout.strip() else []


# HS-000129 is one scanned stack (samples/README.md): lo-quet.pdf splits into p1-3 (p2 a blank back),
# a separator sheet p4, p5 and p6, the records a split correction works on.
STACK = "HS-000129"


def records_of_input(out, name):
    """The record ids batch.json lists for an input whose path ends with name."""
    batch = json.loads((Path(out) / "batch.json").read_text(encoding="utf-8"))
    (item,) = [it for it in batch["items"] if it["path"].endswith(name)]
    return item["records"]


def page_count(pdf):
    return int(subprocess.run(["qpdf", "--show-npages", str(pdf)], capture_output=True, text=True, check=True).stdout)


def alto_pages(path):
    return Path(path).read_text(encoding="utf-8").count("<Page ")
