#!/usr/bin/env bash
# Makes sure .build-py/venv holds the official MCP Python SDK (mcp==2.3.0) and pytest, and prints
# the venv's python. A venv of its own, because Debian's python3 is "externally managed" (PEP 668)
# and the SDK's dependencies should not touch the system's packages. Quiet when all is in place.
#
#   PY=$(bash scripts/mcp-python.sh) && "$PY" -m pytest Examples/python/test_mcp.py
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build-py/venv
MCP_VERSION=2.3.0

ready() {
  "$venv/bin/python" - "$MCP_VERSION" <<'PY' 2>/dev/null
import importlib.metadata as m, sys
sys.exit(0 if m.version("mcp") == sys.argv[1] and m.version("pytest") else 1)
PY
}

if ! ready; then
  echo "mcp-python: installing mcp==$MCP_VERSION and pytest into $venv" >&2
  if ! python3 -m venv "$venv" >&2 2>/dev/null; then
    # Debian ships venv support separately.
    sudo_cmd=()
    [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq python3-venv >&2
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
  fi
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "mcp==$MCP_VERSION" pytest >&2
  ready || { echo "mcp-python: mcp==$MCP_VERSION did not install into $venv" >&2; exit 1; }
fi
echo "$PWD/$venv/bin/python"
