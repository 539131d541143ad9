#!/usr/bin/env bash
# Runs the gateway (embedded SQLite backend by default) on stdin/stdout, building it first.
# Build output goes to stderr so stdout carries protocol lines only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product contacts-gateway >&2
exec .build/release/contacts-gateway "$@"
