#!/usr/bin/env bash
# Drive contacts-gateway from bash: the gateway runs as a coprocess, jq builds and reads JSON.
# Creates a contact, gets it, updates it with the revision it read, prints the new revision.
#
#   CONTACTS_GATEWAY_BIN=.build/debug/contacts-gateway Examples/shell/roundtrip.sh
#
# Sourced (`source roundtrip.sh`), it only defines gateway_start, rpc and gateway_stop.
set -euo pipefail

TIMEOUT=${TIMEOUT:-10} # seconds to wait for each response

# gateway_start: runs the gateway on a temp database as the coprocess GW; gateway_stop on exit.
gateway_start() {
  local bin=${CONTACTS_GATEWAY_BIN:?set CONTACTS_GATEWAY_BIN to the contacts-gateway executable}
  GW_DIR=$(mktemp -d -t contacts-gateway-roundtrip.XXXXXX)
  trap gateway_stop EXIT
  coproc GW { exec "$bin" --db "$GW_DIR/contacts.sqlite" 2>"$GW_DIR/gateway.log"; }
  # bash unsets GW_PID once the coprocess is reaped, and closes ${GW[@]} in subshells:
  # keep copies, and never call rpc inside $(...).
  GW_PID_SAVED=$GW_PID GW_OUT=${GW[0]} GW_IN=${GW[1]}
  RPC_ID=0
}

# gateway_stop: closing stdin asks the gateway to finish and exit 0; kill it after $TIMEOUT s.
gateway_stop() {
  exec {GW_IN}>&- || true
  local i
  for ((i = 0; i < TIMEOUT * 10; i++)); do kill -0 "$GW_PID_SAVED" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$GW_PID_SAVED" 2>/dev/null || true
  wait "$GW_PID_SAVED" 2>/dev/null || true
  rm -rf "$GW_DIR"
}

# rpc METHOD PARAMS_JSON: sets RESULT to the result object. On a JSON-RPC error, prints the
# error object to stderr and returns 1; with no response within $TIMEOUT s, returns 2.
rpc() {
  local id=$((++RPC_ID)) line
  jq -cn --argjson id "$id" --arg method "$1" --argjson params "$2" \
    '{jsonrpc: "2.0", id: $id, method: $method, params: $params}' >&"$GW_IN"
  # One request at a time here, so the next line is our response.
  if ! IFS= read -r -t "$TIMEOUT" line <&"$GW_OUT"; then
    echo "roundtrip: no response to $1 within ${TIMEOUT}s" >&2
    cat "$GW_DIR/gateway.log" >&2
    return 2
  fi
  if jq -e 'has("error")' >/dev/null <<<"$line"; then
    jq -c '.error' <<<"$line" >&2
    return 1
  fi
  RESULT=$(jq -c --argjson id "$id" 'if .id == $id then .result else error("response id mismatch") end' <<<"$line")
}

main() {
  gateway_start

  rpc contacts.create '{"info": {"name": {"first": "Ada", "last": "Lovelace"}}}'
  local id revision
  id=$(jq -r '.contact.id' <<<"$RESULT")
  echo "created $id"

  rpc contacts.get "$(jq -cn --arg id "$id" '{contactId: $id}')"
  revision=$(jq '.contact.revision' <<<"$RESULT")
  echo "got revision $revision"

  rpc contacts.update "$(jq -cn --arg id "$id" --argjson rev "$revision" \
    '{contactId: $id, revision: $rev, info: {company: "Analytical Engines"}}')"
  echo "updated company: $(jq -r '.contact.info.company' <<<"$RESULT")"
  echo "new revision: $(jq '.contact.revision' <<<"$RESULT")"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
