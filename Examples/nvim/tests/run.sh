#!/usr/bin/env bash
# The Neovim plugin's tests in headless Neovim, against $CONTACTS_GATEWAY_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CONTACTS_GATEWAY_BIN:?set CONTACTS_GATEWAY_BIN to the contacts-gateway executable}"
export CONTACTS_GATEWAY_BIN
# -u NONE: no user config; -i NONE: no shada; -n: no swap files. timeout: nothing hangs.
exec timeout 120 nvim --headless -u NONE -i NONE -n \
  -c "set rtp^=$PWD" -c "runtime plugin/contacts_gateway.lua" \
  -c "luafile tests/test_contacts_gateway.lua" </dev/null
