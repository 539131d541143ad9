#!/usr/bin/env bash
# The test command: set up a fresh machine, build, run every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
