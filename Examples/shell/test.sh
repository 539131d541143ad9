#!/usr/bin/env bash
# Tests for roundtrip.sh against $CONTACTS_GATEWAY_BIN. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
: "${CONTACTS_GATEWAY_BIN:?set CONTACTS_GATEWAY_BIN to the contacts-gateway executable}"
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }
check() { if [[ $2 =~ $3 ]]; then ok "$1"; else not_ok "$1 (wanted /$3/)"; printf '%s\n' "$2" | sed 's/^/#   /'; fi; }

# 1. The round trip: create → get → update with the revision read → the new revision.
out=$(timeout 60 ./roundtrip.sh 2>&1); rc=$?
if [[ $rc -eq 0 ]]; then ok "roundtrip exits 0"; else not_ok "roundtrip exits 0 (got $rc)"; printf '%s\n' "$out" | sed 's/^/#   /'; fi
check "prints the created id" "$out" $'(^|\n)created [0-9a-f-]{36}(\n|$)'
check "reads revision 1" "$out" $'(^|\n)got revision 1(\n|$)'
check "updates the company" "$out" $'(^|\n)updated company: Analytical Engines(\n|$)'
check "prints the new revision 2" "$out" $'(^|\n)new revision: 2$'

# 2. A gateway that never answers: read -t gives up after TIMEOUT seconds and the script fails.
fake=$(mktemp -d -t contacts-gateway-fake.XXXXXX)
# (cat without exec: the shell keeps stdout open, so only the timeout can end the wait)
printf '#!/bin/sh\ncat >/dev/null\n' >"$fake/contacts-gateway" && chmod +x "$fake/contacts-gateway"
start=$SECONDS
out=$(CONTACTS_GATEWAY_BIN="$fake/contacts-gateway" TIMEOUT=1 timeout 30 ./roundtrip.sh 2>&1); rc=$?
if [[ $rc -ne 0 && $rc -ne 124 ]]; then ok "silent gateway: fails (exit $rc), does not hang"; else not_ok "silent gateway: fails, does not hang (exit $rc)"; fi
check "silent gateway: says why" "$out" "no response to contacts.create within 1s"
(( SECONDS - start <= 10 )) && ok "silent gateway: gives up within the timeout" || not_ok "silent gateway: gives up within the timeout"
rm -rf "$fake"

# 3. An application error is reported, not swallowed (roundtrip.sh sourced as a library).
out=$(timeout 30 bash -c 'source ./roundtrip.sh; gateway_start; rpc contacts.get "{\"contactId\": \"nope\"}"' 2>&1); rc=$?
if [[ $rc -eq 1 ]]; then ok "CONTACT_NOT_FOUND fails the call"; else not_ok "CONTACT_NOT_FOUND fails the call (exit $rc)"; fi
check "CONTACT_NOT_FOUND is printed with code -32004" "$out" '"code":-32004.*"applicationCode":"CONTACT_NOT_FOUND"'

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
