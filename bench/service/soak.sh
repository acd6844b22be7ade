#!/usr/bin/env bash
# Soak test of the report service: a long wrk run over mixed endpoints with a snapshot switch in the middle.
#
#   bench/service/soak.sh [--duration 600] [--connections 50] [--switch-at 300] [--port 18091] [--no-record]
#
# The committed sample (sample-data/district-small) goes through the pipeline into bench/out/soak/warehouse; the
# service (report-service's quarkus-app, demo mode, -Xmx1g, its own embedded PostgreSQL) serves it on loopback.
# wrk then cycles through nine requests of four accounts (pupil grades, analytics, dynamics PNG, pupil report PDF,
# medal candidates JSON, district indicators JSON, and the pupil, candidates and district pages) for DURATION
# seconds. At SWITCH-AT seconds the pipeline runs again on the same warehouse, so CURRENT moves to a new snapshot
# while the load goes on. Heap in use after a full GC is taken after the warm-up and at the end.
#
# Passes when wrk saw no non-2xx answer and no socket error, the service switched to the new snapshot, and the
# heap after GC did not grow by more than 64 MB. Output: bench/out/soak/ (logs), and unless --no-record
# bench/results/DATE-soak.md.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
duration=600 conns=50 switch_at=300 port=18091 record=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    --switch-at) switch_at="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --no-record) record=0; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$duration" =~ ^[0-9]+$ && "$switch_at" =~ ^[0-9]+$ && "$conns" =~ ^[0-9]+$ ]] \
  || { echo "soak.sh: --duration, --switch-at and --connections take whole numbers" >&2; exit 2; }
(( switch_at < duration )) || { echo "soak.sh: --switch-at must be before the end (--duration)" >&2; exit 2; }
need_tools "soak.sh: " wrk curl java jcmd python3
out="$ROOT/bench/out/soak"; rm -rf "$out"; mkdir -p "$out"
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$out/soak.txt" >&2; }

# ------------------------------------------------------------------------------------------ pipeline + service
cp "$(jobs_jar)" "$out/analytics-jobs.jar"
flags="$(spark_flags)"
warehouse="$out/warehouse"
pipeline() { # log file
  # shellcheck disable=SC2086
  env SPARK_LOCAL_IP=127.0.0.1 nice -n 5 java $flags -Xmx2g -Djava.awt.headless=true \
    -cp "$out/analytics-jobs.jar:$(cat "$ROOT/analytics-jobs/target/runtime-classpath.txt")" kz.baga.jobs.cli.PipelineCommand \
    --input "$ROOT/sample-data/district-small" --warehouse "$warehouse" --quiet > "$1" 2>&1
}
log "pipeline on the committed sample"
pipeline "$out/pipeline-1.log" || { tail -20 "$out/pipeline-1.log" >&2; exit 1; }
first=$(cat "$warehouse/CURRENT")

ensure_service_build
cp -r "$ROOT/report-service/target/quarkus-app" "$out/app"
trap service_stop EXIT
trap 'exit 1' INT TERM
service_start "$out/app" "$out/pg" "$port" "$warehouse" "$out/service.log"
base="http://127.0.0.1:$port"
demo_ids "$port"
snapshot_served() { curl -s -H "Authorization: $(auth department)" "$base/api/v1/snapshot" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("snapshotId") or d.get("id") or "")'; }

# ------------------------------------------------------------------------------------------ wrk script
parent_cookie=$(session_cookie "$port" parent.premium); school_cookie=$(session_cookie "$port" school)
dep_cookie=$(session_cookie "$port" department)
{
  # The requests are built in init(): only then has wrk set the Host header that wrk.format copies into each.
  echo 'local reqs = {}'
  echo 'init = function(args)'
  add() { printf 'reqs[#reqs + 1] = wrk.format("GET", "%s", { ["%s"] = "%s" })\n' "$1" "$2" "$3"; }
  add "/api/v1/students/$child/grades" Authorization "$(auth parent.premium)"
  add "/api/v1/students/$child/analytics" Authorization "$(auth parent.premium)"
  add "/api/v1/students/$child/charts/dynamics.png?subject=ALL" Authorization "$(auth parent.premium)"
  add "/api/v1/students/$child/report.pdf?term=3" Authorization "$(auth parent.premium)"
  add "/api/v1/schools/$school/medal-candidates" Authorization "$(auth school)"
  add "/api/v1/districts/$district/indicators?term=4&subject=ALL" Authorization "$(auth department)"
  add "/children/$child" Cookie "$parent_cookie"
  add "/schools/$school/medal-candidates" Cookie "$school_cookie"
  add "/districts/$district?term=4" Cookie "$dep_cookie"
  echo 'end'
  echo 'local i = 0'
  echo 'request = function() i = i % #reqs + 1; return reqs[i] end'
  cat "$WRK_LUA"
} > "$out/soak.lua"

heap_mb() {
  jcmd "$pid" GC.run >/dev/null 2>&1 || true
  jcmd "$pid" GC.heap_info 2>/dev/null | grep -Eo 'used [0-9]+K' | head -1 | grep -Eo '[0-9]+' | awk '{print int($1 / 1024)}'
}
log "warm-up: 20 s of the same mix"
wrk -t2 -c"$conns" -d20s --timeout 30s -s "$out/soak.lua" "$base" > "$out/wrk-warmup.txt" 2>&1
if ! grep -q 'non2xx=0 socket_errors=0' "$out/wrk-warmup.txt"; then
  log "the warm-up already failed: $(grep WRK_RESULT "$out/wrk-warmup.txt" || tail -3 "$out/wrk-warmup.txt")"; exit 1
fi
heap_start=$(heap_mb)
log "heap after GC, after warm-up: ${heap_start} MB; snapshot $first; soak: wrk -t2 -c$conns -d${duration}s, switch at ${switch_at}s"
wrk -t2 -c"$conns" -d"${duration}s" --timeout 30s -s "$out/soak.lua" "$base" > "$out/wrk.txt" 2>&1 &
wrk_pid=$!
sleep "$switch_at"
log "pipeline run on the served warehouse (the snapshot switch under load)"
pipeline "$out/pipeline-2.log" || { tail -20 "$out/pipeline-2.log" >&2; kill "$wrk_pid"; exit 1; }
second=$(cat "$warehouse/CURRENT")
log "committed $second; waiting for the service to switch"
served=""
for _ in $(seq 1 60); do served=$(snapshot_served); [[ "$served" == "$second" ]] && break; sleep 1; done
log "service serves ${served:-?}"
wait "$wrk_pid"
heap_end=$(heap_mb)
result=$(grep WRK_RESULT "$out/wrk.txt" || true)
[[ -n "$result" ]] || { cat "$out/wrk.txt" >&2; exit 1; }
log "$result"
log "heap after GC at the end: ${heap_end} MB"
field() { echo "$result" | grep -Eo "$1=[0-9.]+" | cut -d= -f2; }
non2xx=$(field non2xx); errors=$(field socket_errors); requests=$(field requests); rps=$(field rps)
p50=$(field p50_ms); p99=$(field p99_ms); maxms=$(field max_ms)
verdict=pass
[[ "$non2xx" == 0 && "$errors" == 0 ]] || verdict=fail
[[ "$served" == "$second" && "$second" != "$first" ]] || verdict=fail
(( heap_end - heap_start <= 64 )) || verdict=fail
log "verdict: $verdict"

if [[ $record == 1 ]]; then
  md="$ROOT/bench/results/$(date +%F)-soak.md"
  n=2; while [[ -e "$md" ]]; do md="$ROOT/bench/results/$(date +%F)-soak-run$n.md"; n=$((n + 1)); done
  cat > "$md" <<MD
# Report service soak: ${duration} s at ${conns} connections, a snapshot switch at ${switch_at} s ($(date +%F))

\`bench/service/soak.sh --duration $duration --connections $conns --switch-at $switch_at\`: the committed sample,
the service in demo mode (-Xmx1g, embedded PostgreSQL, every answer's audit record committed durably), wrk -t2
cycling through nine requests of four accounts (six API calls incl. a PNG and a PDF, three pages). 2 cores shared
by the service, its PostgreSQL, wrk and the pipeline run of the switch.

| requests | requests/s | p50 ms | p99 ms | max ms | non-2xx | socket errors | heap after GC: start → end | snapshot switch | verdict |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |
| $requests | $rps | $p50 | $p99 | $maxms | $non2xx | $errors | ${heap_start} → ${heap_end} MB | $first → $served | **$verdict** |
MD
  log "wrote ${md#"$ROOT"/}"
fi
[[ $verdict == pass ]]
