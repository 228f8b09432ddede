"""Runs the real sohoa binary once per test module and loads what it wrote."""
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(os.environ.get("SOHOA_ROOT", Path(__file__).resolve().parents[2]))
BIN = os.environ.get("SOHOA_BIN", str(ROOT / "build" / "sohoa"))
SAMPLES = ROOT / "samples"


def run(inputs, out, *extra, check_codes=(0, 3)):
    cmd = [BIN, "run", *map(str, inputs), "-o", str(out), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if proc.returncode not in check_codes:
        raise AssertionError(f"{cmd} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


class Output:
    """OUT as a user sees it: batch.json and every record folder."""

    def __init__(self, out):
        self.out = Path(out)
        self.batch = json.loads((self.out / "batch.json").read_text(encoding="utf-8"))
        self.records = {}
        for d in sorted((self.out / "records").iterdir()):
            rec = json.loads((d / "record.json").read_text(encoding="utf-8"))
            rec["_dir"] = d
            self.records[d.name] = rec

    def records_of(self, path, member=None):
        found = [r for r in self.records.values()
                 if r["source"]["path"] == path and r["source"]["member"] == member]
        return sorted(found, key=lambda r: r["source"]["pages"][0])

    def only(self, name):
        """The one record of the input whose path ends with name (a file of one document)."""
        found = [r for r in self.records.values() if r["source"]["path"].endswith(name)]
        if len(found) != 1:
            raise AssertionError(f"{name}: {len(found)} records")
        return found[0]

    def page_texts(self, record):
        return (record["_dir"] / "text.txt").read_text(encoding="utf-8").rstrip("\n").split("\f")


def fresh_dir(name):
    d = Path(tempfile.mkdtemp(prefix=f"sohoa-e2e-{name}-"))
    return d


def remove(d):
    shutil.rmtree(d, ignore_errors=True)
