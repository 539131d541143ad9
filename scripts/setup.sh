#!/usr/bin/env bash
# Installs what a fresh Debian machine with Swift 6.x lacks for building and testing the gateway.
# Safe to run repeatedly: it installs only what is missing.
set -euo pipefail

apt_packages=(libsqlite3-dev libjemalloc-dev libzstd-dev libcurl4 libcurl4-openssl-dev sqlite3 jq curl)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >&2
fi

# The phone-number cross-check compares our tables with Google's libphonenumber data.
if ! python3 -c 'import phonenumbers, sys; sys.exit(0 if phonenumbers.__version__ == "9.0.43" else 1)' 2>/dev/null; then
  echo "setup: installing phonenumbers==9.0.43" >&2
  python3 -m pip install -q --disable-pip-version-check phonenumbers==9.0.43 >&2
fi

# The MCP tests (Examples/python/test_mcp.py) drive the gateway with the official MCP Python SDK,
# installed into .build-py/venv.
bash "$(dirname "$0")/mcp-python.sh" >/dev/null

# The PostgreSQL audit log's tests start a throwaway cluster of their own (initdb, pg_ctl on a
# Unix socket in a temporary directory), so they need the server binaries, not a running service.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "setup: installing postgresql" >&2
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq postgresql >&2
fi
