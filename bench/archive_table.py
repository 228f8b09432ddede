#!/usr/bin/env python3
"""bench/results/archive-*.json -> the Markdown table of bench/results/archive.md."""
import json
import sys
from pathlib import Path

rows = []
# archive-sqlite-10m.json: the SQLite file grown on from 3 M to 10 M by a second run.
for name in ("sqlite", "sqlite-10m", "postgresql"):
    p = Path(__file__).parent / "results" / f"archive-{name}.json"
    if p.exists():
        rows += json.loads(p.read_text())
print("| back end | records | lookup --id median / p95 ms | lookup --name --born median / p95 ms | all namesakes median ms "
      "| archive search median / p95 ms | add 500 median s | this step generated in s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    f = lambda k: "%.1f / %.1f" % (r[k]["median_ms"], r[k]["p95_ms"])
    print("| %s | %s | %s | %s | %.0f | %s | %.2f | %.0f |" % (
        r["backend"], f"{r['records']:,}", f("lookup_id"), f("lookup_name_born"), r["lookup_name_all_namesakes"]["median_ms"],
        f("search_words"), r["add_500"]["median_ms"] / 1000, r["generated_s"]))
