#!/usr/bin/env bash
# Regenerates docs/openrpc.json from the gateway's rpc.discover and fails if the committed copy
# is stale.
#
#   scripts/check-openrpc.sh            the GenerateOpenRPC plugin when Package.swift declares it,
#                                       else the binary (below)
#   scripts/check-openrpc.sh --binary   run $CONTACTS_GATEWAY_BIN (default .build/debug/contacts-gateway)
#                                       and pretty-print with Python: the same bytes as the plugin
#   scripts/check-openrpc.sh --plugin   swift package --allow-writing-to-package-directory generate-openrpc
#                                       ($SWIFTPM_FLAGS, e.g. "--scratch-path .build-x", go before the verb)
#
# Either way the file is rewritten in place; commit it when this script says it changed.
set -euo pipefail
cd "$(dirname "$0")/.."

DOC=docs/openrpc.json
mode=${1:-auto}
if [[ $mode == auto ]]; then
  if grep -q '"GenerateOpenRPC"' Package.swift; then mode=--plugin; else mode=--binary; fi
fi

case $mode in
--plugin)
  # shellcheck disable=SC2086
  swift package ${SWIFTPM_FLAGS:-} --allow-writing-to-package-directory generate-openrpc --output "$DOC"
  ;;
--binary)
  BIN=${CONTACTS_GATEWAY_BIN:-.build/debug/contacts-gateway}
  [[ -x $BIN ]] || { echo "check-openrpc: no executable at $BIN (build it, or set CONTACTS_GATEWAY_BIN)" >&2; exit 2; }
  tmp=$(mktemp -d -t check-openrpc.XXXXXX)
  trap 'rm -rf "$tmp"' EXIT
  printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}' |
    timeout 60 "$BIN" --db "$tmp/openrpc.sqlite" --log-level error >"$tmp/response.json"
  # Must match Plugins/GenerateOpenRPC byte for byte: keys sorted by code point, indent 2,
  # ", " / ": " separators, only quote, backslash and control characters escaped, a final newline.
  python3 - "$tmp/response.json" "$DOC" <<'EOF'
import json, sys

def no_floats(literal):
    sys.exit(f"check-openrpc: non-integer number {literal} in the document: teach both printers about floats")

with open(sys.argv[1], encoding="utf-8") as f:
    response = json.loads(f.readline(), parse_float=no_floats)
if "error" in response:
    sys.exit(f"check-openrpc: rpc.discover failed: {response['error']}")
with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as f:
    f.write(json.dumps(response["result"], indent=2, sort_keys=True, ensure_ascii=False) + "\n")
EOF
  ;;
*)
  echo "usage: $0 [--plugin | --binary]" >&2
  exit 2
  ;;
esac

if ! git ls-files --error-unmatch "$DOC" >/dev/null 2>&1; then
  echo "check-openrpc: $DOC is not committed yet: git add $DOC" >&2
  exit 1
fi
if ! git diff --exit-code --stat -- "$DOC"; then
  echo "check-openrpc: $DOC is stale: rpc.discover now returns a different document." >&2
  echo "  It has been regenerated in place; review 'git diff $DOC' and commit it." >&2
  exit 1
fi
echo "check-openrpc: $DOC is up to date"
