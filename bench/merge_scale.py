#!/usr/bin/env python3
"""The merge's cost as the record count grows: K simulated records (copies of one real record of a
sample run, each under its own id, input path and dossier of 5 records) in 4 finished shards, merged
by the real binary, three times: first, again (nothing changed), and after one shard's records were written
anew with another date (as a shard run again from nothing on another day). Usage: merge_scale.py SAMPLE_OUT K... (SAMPLE_OUT: any `sohoa run` OUT)."""
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOHOA = os.environ.get("SOHOA", str(Path(__file__).resolve().parents[1] / "build" / "sohoa"))
SHARDS = 4


def simulate(sample, k, out):
    batch = json.loads((sample / "batch.json").read_text())
    item = next(i for i in batch["items"] if i["pages"] == 1 and len(i["records"]) == 1 and i["dossier"])
    src = sample / "records" / item["records"][0]
    rec = json.loads((src / "record.json").read_text())
    plan_items, shard_items = [], [[] for _ in range(SHARDS)]
    for n in range(k):
        dossier = f"HS-{900000 + n // 5:06d}"
        path = f"{dossier}/sim-{n:06d}.jpg"
        shard = (n // 5) % SHARDS
        rid = hashlib.sha256(f"{dossier}\n{path}\n".encode()).hexdigest()[:16] + "-p001-001"
        d = out / "shards" / str(shard) / "records" / rid
        d.mkdir(parents=True)
        for f in src.iterdir():
            if f.name != "record.json":
                os.link(f, d / f.name)
        r = dict(rec, id=rid, source=dict(rec["source"], path=path, dossier=dossier))
        (d / "record.json").write_text(json.dumps(r, ensure_ascii=False, indent=1))
        it = dict(item, path=path, dossier=dossier, records=[rid])
        shard_items[shard].append(it)
        plan_items.append({"path": path, "member": None, "dossier": dossier, "format": item["format"], "size": 1,
                           "sha256": item["sha256"], "pages": 1, "shard": shard})
    orig = rec["original"]["file"]
    for s in range(SHARDS):
        sd = out / "shards" / str(s)
        (sd / "originals").mkdir(parents=True, exist_ok=True)
        os.link(sample / orig, sd / orig)
        pages = len(shard_items[s])
        (sd / "batch.json").write_text(json.dumps({"sohoa_version": batch["sohoa_version"], "inputs": pages, "pages": pages,
                                                   "records": pages, "pages_processed": pages, "inputs_resumed": 0,
                                                   "records_resumed": 0, "timings_s": {}, "cpu_timings_s": {}, "errors": [],
                                                   "items": shard_items[s]}))
        (sd / "shard.json").write_text(json.dumps({"shard": s, "state": "done", "exit": 0}))
    shards = [{"index": s, "dossiers": sorted({i["dossier"] for i in shard_items[s]}), "inputs": len(shard_items[s]),
               "pages": len(shard_items[s])} for s in range(SHARDS)]
    (out / "plan.json").write_text(json.dumps({"sohoa_plan": 1, "sohoa_version": batch["sohoa_version"], "inputs": [],
                                               "default_dossier": "", "shards": shards, "items": plan_items, "errors": []}))


def rewrite_shard(out, shard):
    """Shard `shard` ran again from nothing on another day: new files (new inodes), each record.json
    with another "created" (the same bytes again would change nothing in OUT)."""
    for d in (out / "shards" / str(shard) / "records").iterdir():
        for f in d.iterdir():
            data = f.read_bytes()
            if f.name == "record.json":
                r = json.loads(data)
                r["created"] = "2026-01-02T00:00:00Z"
                data = json.dumps(r, ensure_ascii=False, indent=1).encode()
            f.unlink()
            f.write_bytes(data)


def merge(k, out):
    """Wall seconds and CPU seconds (user + system) of one `sohoa merge`."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run([SOHOA, "merge", str(out)], capture_output=True, text=True)
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"merge of {k} records exited {p.returncode}: {p.stderr}")
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def main():
    sample = Path(sys.argv[1])
    print("| records | first merge s (CPU s) | merge again s (CPU s) | after 1 of 4 shards reran s (CPU s) |\n"
          "|---:|---:|---:|---:|")
    for k in map(int, sys.argv[2:]):
        tmp = Path(tempfile.mkdtemp(prefix="sohoa-merge-"))
        try:
            simulate(sample, k, tmp)
            runs = [merge(k, tmp), merge(k, tmp)]
            rewrite_shard(tmp, 0)
            runs.append(merge(k, tmp))
            print(f"| {k} | " + " | ".join(f"{w:.2f} ({c:.2f})" for w, c in runs) + " |", flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
