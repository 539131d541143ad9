#!/usr/bin/env bash
# Runs every example's tests (Examples/*) against the built gateway, plus the docs/openrpc.json
# staleness check. Installs what a fresh Debian machine lacks first (pytest, jq, node, neovim).
#
#   CONTACTS_GATEWAY_BIN=.build/debug/contacts-gateway scripts/examples.sh [python mcp node shell nvim openrpc]
#
# Ends with "N passed, N failed" (individual tests, summed over the suites) and exits non-zero
# on any failure. A suite that fails without reporting a failed test counts as one failure.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BIN=${CONTACTS_GATEWAY_BIN:-.build/debug/contacts-gateway}
[[ $BIN == /* ]] || BIN=$ROOT/$BIN
if [[ ! -x $BIN ]]; then
  echo "examples: no executable at $BIN (swift build --product contacts-gateway, or set CONTACTS_GATEWAY_BIN)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export CONTACTS_GATEWAY_BIN=$BIN
export PYTHONDONTWRITEBYTECODE=1

suites=("$@")
[[ ${#suites[@]} -gt 0 ]] || suites=(python mcp node shell nvim openrpc)
wants() { [[ " ${suites[*]} " == *" $1 "* ]]; }

# ---- what the examples need ------------------------------------------------------------------
apt_missing=()
wants python && ! command -v python3 >/dev/null && apt_missing+=(python3 python3-pytest)
wants openrpc && ! command -v python3 >/dev/null && apt_missing+=(python3)
{ wants shell || wants openrpc; } && ! command -v jq >/dev/null && apt_missing+=(jq)
wants node && ! command -v node >/dev/null && apt_missing+=(nodejs)
wants nvim && ! command -v nvim >/dev/null && apt_missing+=(neovim)
if [[ ${#apt_missing[@]} -gt 0 ]]; then
  echo "examples: installing ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null ||
    echo "examples: apt-get install ${apt_missing[*]} failed; the suites that need them will fail" >&2
fi
if wants python && command -v python3 >/dev/null && ! python3 -c 'import pytest' 2>/dev/null; then
  echo "examples: installing pytest"
  python3 -m pip install --quiet pytest 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages pytest 2>/dev/null || {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-pytest >/dev/null
  } || echo "examples: could not install pytest" >&2
fi

# ---- the suites ------------------------------------------------------------------------------
total_passed=0 total_failed=0
summary=()

# run NAME PARSER COMMAND...: runs the suite under a timeout, adds up its counts.
run() {
  local name=$1 parser=$2 out rc passed failed start=$SECONDS
  shift 2
  echo
  echo "=== $name: $*"
  out=$(mktemp -t examples-"$name".XXXXXX)
  timeout 600 "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  read -r passed failed < <("$parser" "$out")
  rm -f "$out"
  if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; fi # crashed, hung (124) or could not start
  total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed))
  summary+=("$(printf '%-8s %3d passed, %d failed  (exit %d, %ds)' "$name" "$passed" "$failed" "$rc" $((SECONDS - start)))")
}

# Parsers print "PASSED FAILED" from a suite's output.
count_plain() { # "N passed, N failed" (shell, nvim)
  sed -nE 's/^([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p' "$1" | tail -1 | grep . || echo "0 0"
}
count_pytest() { # "== 1 failed, 6 passed in 2.4s ==" / "7 passed in 2.4s"
  local line
  line=$(grep -E '[0-9]+ (passed|failed|error)' "$1" | tail -1)
  echo "$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)" \
    "$(($(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || echo 0) + $(grep -oE '[0-9]+ errors?' <<<"$line" | grep -oE '[0-9]+' || echo 0)))"
}
count_node() { # TAP summary: "# pass 6" / "# fail 0"
  echo "$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$1" | tail -1 | grep . || echo 0)" \
    "$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$1" | tail -1 | grep . || echo 0)"
}
count_check() { # one check: passed unless the script says otherwise (its exit code decides)
  if grep -q 'is up to date' "$1"; then echo "1 0"; else echo "0 1"; fi
}

wants python && run python count_pytest python3 -m pytest -q -p no:cacheprovider Examples/python \
  --ignore=Examples/python/test_mcp.py
# MCP server mode, driven by the official MCP Python SDK from its own venv (scripts/mcp-python.sh).
if wants mcp; then
  if mcp_python=$(bash scripts/mcp-python.sh); then
    run mcp count_pytest "$mcp_python" -m pytest -q -p no:cacheprovider Examples/python/test_mcp.py
  else
    summary+=("mcp      could not install the MCP Python SDK") total_failed=$((total_failed + 1))
  fi
fi
wants node && run node count_node node --test --test-reporter=tap Examples/node/contacts-gateway.test.mjs
wants shell && run shell count_plain bash Examples/shell/test.sh
wants nvim && run nvim count_plain bash Examples/nvim/tests/run.sh
wants openrpc && run openrpc count_check bash scripts/check-openrpc.sh --binary

echo
echo "=== examples against $BIN"
printf '  %s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 ]]
