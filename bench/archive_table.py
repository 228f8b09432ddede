#!/usr/bin/env python3
"""bench/results/archive-*.json -> the Markdown table of bench/results/archive.md."""
import json
import sys
from pathlib import Path

rows = []
names = sys.argv[1:] or ["sqlite", "postgresql"]
for name in names:
    p = Path(name) if name.endswith(".json") else Path(__file__).parent / "results" / f"archive-{name}.json"
    if p.exists():
        rows += json.loads(p.read_text())
print("| back end | records | lookup --id median / p95 ms | lookup --name --born median / p95 ms "
      "| lookup --name alone, first 50, median / p95 ms | every namesake (--limit 0) median ms, rows "
      "| archive search median / p95 ms | add 500 median s | this step generated in s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    f = lambda k: "%.1f / %.1f" % (r[k]["median_ms"], r[k]["p95_ms"])
    first = f("lookup_name_first_page") if "lookup_name_first_page" in r else "-"
    every = "%.0f, %.0f" % (r["lookup_name_all_namesakes"]["median_ms"], r.get("namesakes_per_name", float("nan")))
    print("| %s | %s | %s | %s | %s | %s | %s | %.2f | %.0f |" % (
        r["backend"], f"{r['records']:,}", f("lookup_id"), f("lookup_name_born"), first, every,
        f("search_words"), r["add_500"]["median_ms"] / 1000, r["generated_s"]))
