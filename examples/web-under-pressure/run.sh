#!/usr/bin/env bash
# Runs the experiment as `make experiment` does: two local `stressd serve`
# agents on free loopback ports (each with its own 0600 token file and
# private state directory), then
#   chaos run --rollback-strategy=always --journal-path JOURNAL experiment.json
# then stops the agents and says where the journal is.
#
#   STRESSD_BIN=/path/to/stressd CHAOS=.venv/bin/chaos examples/web-under-pressure/run.sh
#
# RUN_DIR (default: a new /tmp/stressd-experiment.XXXXXX) keeps the journal,
# chaos.log and the agents' logs.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
STRESSD_BIN="${STRESSD_BIN:?set STRESSD_BIN to a stressd binary (make build)}"
CHAOS="$(command -v "${CHAOS:-chaos}")" || { echo "no chaos command: make venv, then CHAOS=.venv/bin/chaos" >&2; exit 2; }
case "$CHAOS" in /*) ;; *) CHAOS="$PWD/$CHAOS" ;; esac
PYTHON="${PYTHON:-$(dirname "$CHAOS")/python3}"
[ -x "$PYTHON" ] || PYTHON=python3
[ -x "$STRESSD_BIN" ] || { echo "no stressd binary at $STRESSD_BIN: run make build" >&2; exit 2; }
umask 077
RUN_DIR="${RUN_DIR:-$(mktemp -d /tmp/stressd-experiment.XXXXXX)}"
mkdir -p "$RUN_DIR"
chmod 700 "$RUN_DIR"

pids=()
stop_agents() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  pids=()
}
trap stop_agents EXIT
trap 'exit 130' INT TERM

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

agents_json=""
for name in local-1 local-2; do
  d="$RUN_DIR/$name"
  mkdir -p "$d/state"
  openssl rand -hex 32 > "$d/token"          # umask 077: mode 0600
  port=$(free_port)
  "$STRESSD_BIN" serve --listen "127.0.0.1:$port" --token-file "$d/token" \
      --state-dir "$d/state" --max-attacks 4 >"$d/serve.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { echo "agent $name did not start: $(cat "$d/serve.log")" >&2; exit 1; }
  echo "agent $name: http://127.0.0.1:$port (state $d/state)"
  agents_json="$agents_json${agents_json:+,}\"$name\": {\"url\": \"http://127.0.0.1:$port\", \"token_file\": \"$d/token\"}"
done

web_port=$(free_port)
cat > "$RUN_DIR/vars.json" <<JSON
{"configuration": {
  "stressd_agents": {$agents_json},
  "stressd_token_file": "$RUN_DIR/local-1/token",
  "web_port": $web_port
}}
JSON

journal="$RUN_DIR/journal.json"
echo "+ chaos run --rollback-strategy=always --journal-path $journal --var-file $RUN_DIR/vars.json experiment.json"
(cd "$here" && PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" \
  "$CHAOS" --log-file "$RUN_DIR/chaos.log" run --rollback-strategy=always \
  --journal-path "$journal" --var-file "$RUN_DIR/vars.json" experiment.json)
rc=$?

# Each agent, after the run: nothing running, no ledger record left.
left=0
for name in local-1 local-2; do
  d="$RUN_DIR/$name"
  url=$(sed -n "s/.*\"$name\": {\"url\": \"\([^\"]*\)\".*/\1/p" "$RUN_DIR/vars.json")
  running=$(curl -fsS -H "Authorization: Bearer $(cat "$d/token")" "$url/v1/attacks?state=running" | "$PYTHON" -c 'import json,sys; print(len(json.load(sys.stdin)))')
  records=$(find "$d/state/ledger" -name '*.json' 2>/dev/null | wc -l)
  echo "agent $name after the run: $running attack(s) running, $records ledger record(s)"
  [ "$running" = 0 ] && [ "$records" = 0 ] || left=1
done

"$PYTHON" - "$journal" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
ssh = j.get("steady_states") or {}
print(f"status: {j['status']}; steady state met before: "
      f"{(ssh.get('before') or {}).get('steady_state_met')}, after: {(ssh.get('after') or {}).get('steady_state_met')}")
for e in j.get("extensions", []):
    if e.get("name") == "chaosstressd":
        for host, h in sorted(e["hosts"].items()):
            for r in h["attacks"]:
                print(f"  {host} {r['id']}: {r['outcome']['status']} ({r['outcome'].get('reason', '')}), "
                      f"leftovers {r['cleanup']['leftovers']}")
        print(f"  nothing left: {e['nothing_left']}; errors: {e['errors']}")
    elif e.get("name") == "web-service":
        print(f"  web service served {e.get('served')} request(s)")
PY
echo "journal: $journal"
[ "$left" = 0 ] || { echo "something was left on an agent" >&2; exit 1; }
exit $rc
