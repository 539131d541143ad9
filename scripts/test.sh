#!/usr/bin/env bash
# The test command: set up a fresh machine, build, run every Swift test suite, then every
# example's tests (Python, Node, shell, Neovim) against the built binary and the check that
# docs/openrpc.json is up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
CONTACTS_GATEWAY_BIN="$(swift build --show-bin-path)/contacts-gateway" bash scripts/examples.sh
