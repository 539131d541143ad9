#!/usr/bin/env bash
# The test command: set up a fresh machine, build, run every Swift test suite, then every
# example's tests (Python, Node, shell, Neovim) against the built binary and the check that
# docs/openrpc.json is up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
# The in-process JSON-RPC pipe tests run on their own: beside the end-to-end suites, whose
# synchronous tests wait on gateway processes from the 2-core machine's few cooperative threads,
# their handlers could wait past the tests' deadlines.
swift test --skip-build --skip JSONRPCTests
swift test --skip-build --filter JSONRPCTests
CONTACTS_GATEWAY_BIN="$(swift build --show-bin-path)/contacts-gateway" bash scripts/examples.sh
