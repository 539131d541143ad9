#!/usr/bin/env bash
# Builds the release gateway as it ships (scripts/gateway.sh, Benchmarks/run.sh):
# - the Swift runtime linked statically: a start takes a few milliseconds instead of ~30-100 ms
#   of dynamic linking (Foundation, ICU), which matters to tools that spawn it often;
# - type metadata reached through direct accessors, not looked up by mangled name: the first use
#   of a generic type by name made the runtime walk all ~10,000 protocol conformances of the
#   static binary to check its requirements (a start on an existing file: 22 -> 17 M
#   instructions, about 2 ms). The flag must reach every module, dependencies included, which
#   only the command line does.
# Usage: scripts/build-release.sh [more `swift build` options, e.g. --scratch-path .build-bench]
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift build -c release --product contacts-gateway --static-swift-stdlib \
    -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors "$@"
