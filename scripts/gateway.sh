#!/usr/bin/env bash
# Runs the gateway (embedded SQLite backend by default) on stdin/stdout, building it first
# (scripts/build-release.sh: release, static Swift runtime, built for a fast start).
# Build output goes to stderr so stdout carries protocol lines only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-release.sh >&2
exec .build/release/contacts-gateway "$@"
