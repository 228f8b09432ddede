#!/usr/bin/env bash
# Pages per minute of one batch cut into 1, 2 and 4 shards, all shards run at once on this machine
# (each with cores/N recognisers, at least 1), and the merge's own time. Writes bench/results/shards.md.
#   bash bench/shards.sh [INPUT] (default samples/scans; build/sohoa built first)
set -euo pipefail
cd "$(dirname "$0")/.."
SOHOA=${SOHOA:-build/sohoa}
INPUT=${1:-samples/scans}
CORES=$(nproc)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export SOURCE_DATE_EPOCH=1735689600
RESULT=bench/results/shards.md
{
  echo "# One batch in shards on one machine ($CORES cores, $(date -u +%Y-%m-%d), input $INPUT)"
  echo
  echo "| shards | recognisers each | pages | wall s (shards) | pages/min | merge s | records |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
} > "$RESULT.tmp"
for N in 1 2 4; do
  OUT="$TMP/out$N"
  "$SOHOA" plan "$INPUT" -o "$OUT" --shards "$N" > /dev/null
  J=$(( CORES / N )); [ "$J" -ge 1 ] || J=1
  t0=$(date +%s.%N)
  pids=()
  for ((i = 0; i < N; i++)); do "$SOHOA" run --plan "$OUT/plan.json" --shard "$i" -q -j "$J" > "$TMP/log$N-$i" 2>&1 & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p"; done
  t1=$(date +%s.%N)
  "$SOHOA" merge "$OUT" > "$TMP/merge$N" 2>&1
  t2=$(date +%s.%N)
  pages=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['pages'])" "$OUT/batch.json")
  records=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['records'])" "$OUT/batch.json")
  python3 - "$N" "$J" "$pages" "$t0" "$t1" "$t2" "$records" >> "$RESULT.tmp" <<'PY'
import sys
n, j, pages, t0, t1, t2, records = sys.argv[1:]
wall = float(t1) - float(t0)
print(f"| {n} | {j} | {pages} | {wall:.1f} | {int(pages) / wall * 60:.1f} | {float(t2) - float(t1):.2f} | {records} |")
PY
done
mv "$RESULT.tmp" "$RESULT"
cat "$RESULT"
