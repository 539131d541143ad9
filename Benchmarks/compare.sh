#!/usr/bin/env bash
# Runs one benchmark scenario against two gateway binaries, alternating A and B so that the
# machine's drift hits both alike, and prints each run, the medians and how many pairs B won.
#
# Pairs run A B, then B A, and so on, and the page cache's dirty data is written out (`sync`)
# before every run: a run writes hundreds of megabytes (an update about 14 KB), and the
# kernel's writeback of them slowed whichever run came next, so A-then-B pairs favoured A.
# Usage: Benchmarks/compare.sh A_BINARY B_BINARY PAIRS [gateway-benchmark options, e.g. --scenario mix --gets 0]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ $# -ge 3 ]] || { echo "usage: $0 A_BINARY B_BINARY PAIRS [benchmark options]" >&2; exit 2; }
a="$1" b="$2" pairs="$3"
shift 3
swift build -c release --package-path "$here/GatewayBenchmark" >&2
bench="$(swift build -c release --package-path "$here/GatewayBenchmark" --show-bin-path)/gateway-benchmark"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for ((pair = 1; pair <= pairs; pair++)); do
  order="A B"; ((pair % 2 == 0)) && order="B A"
  for side in $order; do
    binary="$a"; [[ $side == B ]] && binary="$b"
    sync; sleep 1
    line="$("$bench" --json --binary "$binary" "$@" | tail -n 1)"
    echo "$pair $side $line" >>"$results"
  done
done
python3 - "$results" <<'PY'
import json, statistics, sys
runs = {"A": [], "B": []}
pairs = {}
for line in open(sys.argv[1]):
    pair, side, payload = line.split(" ", 2)
    runs[side].append(json.loads(payload))
    pairs.setdefault(pair, {})[side] = runs[side][-1]
def figures(run):
    if run.get("scenario") == "history":
        figures = {}
        for each in run.get("runs", []):
            figures[f"req/s@{each['inFlight']}"] = each.get("requestsPerSecond")
            figures[f"p99 ms@{each['inFlight']}"] = each.get("latency", {}).get("p99Ms")
        return figures
    figures = {
        "req/s": run.get("requestsPerSecond"), "p99 ms": run.get("latency", {}).get("p99Ms"),
        "CPU us/req": run.get("gatewayCPUMicrosecondsPerRequest"), "RSS MB": run.get("peakRSSMB"),
    }
    # The mix's p99 is about its writes' p97; a change to the writes' tail shows in their own p99.
    if run.get("scenario") == "mix":
        figures["update p99 ms"] = run.get("methods", {}).get("contacts.update", {}).get("latency", {}).get("p99Ms")
    return figures
for side in "AB":
    rows = [figures(run) for run in runs[side]]
    for row in rows:
        print(side, "  ".join(f"{k} {v}" for k, v in row.items()))
    medians = {k: statistics.median([r[k] for r in rows if r[k] is not None]) for k in rows[0] if any(r[k] is not None for r in rows)}
    print(side, "median", "  ".join(f"{k} {round(v, 2)}" for k, v in medians.items()))
# Within each pair (the two runs back to back): how often B did better.
lower_is_better = {"p99 ms", "CPU us/req", "RSS MB", "update p99 ms"}
wins = {}
for pair in pairs.values():
    a, b = figures(pair["A"]), figures(pair["B"])
    for k in a:
        if a[k] is None or b.get(k) is None:
            continue
        better = b[k] < a[k] if k.split("@")[0] in lower_is_better else b[k] > a[k]
        won, total = wins.get(k, (0, 0))
        wins[k] = (won + better, total + 1)
print("B better", "  ".join(f"{k} {won} of {total}" for k, (won, total) in wins.items()))
PY
