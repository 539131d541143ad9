#!/usr/bin/env bash
# Builds the release gateway and the benchmark, then runs both scenarios.
# Usage: Benchmarks/run.sh [extra gateway-benchmark options, e.g. --json]
# Environment: GATEWAY_BENCH_BINARY to use another gateway binary (skips its build),
#              HISTORY_DB to keep and reuse the 1,000,000-entry database between runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

if [[ -z "${GATEWAY_BENCH_BINARY:-}" ]]; then
    echo "== building contacts-gateway (release, static Swift runtime as scripts/gateway.sh ships it, .build-bench)" >&2
    bash "$repo/scripts/build-release.sh" --scratch-path "$repo/.build-bench" >&2
    export GATEWAY_BENCH_BINARY="$repo/.build-bench/release/contacts-gateway"
fi
echo "== building gateway-benchmark (release)" >&2
swift build -c release --package-path "$here/GatewayBenchmark" >&2
bench="$(swift build -c release --package-path "$here/GatewayBenchmark" --show-bin-path)/gateway-benchmark"

echo "== scenario mix" >&2
"$bench" --scenario mix "$@"

echo "== scenario history" >&2
history_args=()
if [[ -n "${HISTORY_DB:-}" ]]; then history_args=(--history-db "$HISTORY_DB"); fi
"$bench" --scenario history "${history_args[@]}" "$@"
