#!/usr/bin/env bash
# Runs the gateway (embedded SQLite backend by default) on stdin/stdout, building it first.
# Build output goes to stderr so stdout carries protocol lines only. The Swift runtime is linked
# statically: the process then starts in a few milliseconds instead of ~30-100 ms of dynamic
# linking (Foundation, ICU), which matters to tools that spawn it often.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product contacts-gateway --static-swift-stdlib >&2
exec .build/release/contacts-gateway "$@"
