#!/usr/bin/env bash
# Single-request timings with curl (no load generator): light enough for a shared machine.
#
#   bench/service/single.sh --warehouse DIR [--app DIR] [--repeat 5] [--port 18091] [--cold] [--label TEXT]
#                           [--save DIR]
#
# Starts the service (demo mode, -Xmx1g, its own embedded PostgreSQL under bench/out/service/single-pg) from
# --app (default report-service/target/quarkus-app, copied first), then times, one request at a time, the
# endpoints of run.sh: the first request of each after start, then --repeat more of each; prints every time and
# the median. --cold starts it as run.sh's cold phase does (baga.cache.max-rows=1, baga.cache.max-districts=0:
# every request reads its read model from Parquet), plus baga.render-cache.max-bytes=0 (no rendered-output cache;
# ignored by builds that do not have one). Output: stdout, one line per endpoint; --save DIR keeps the last body
# of each endpoint there (to compare two builds' answers).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
warehouse="" app="$ROOT/report-service/target/quarkus-app" repeat=5 port=18091 cold=0 label="" save=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --warehouse) warehouse="$(cd "$2" && pwd)"; shift 2 ;;
    --app) app="$(cd "$2" && pwd)"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --cold) cold=1; shift ;;
    --label) label="$2"; shift 2 ;;
    --save) save="$2"; mkdir -p "$save"; shift 2 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n "$warehouse" ]] || { echo "--warehouse DIR is required" >&2; exit 2; }
out="$ROOT/bench/out/service"; mkdir -p "$out"
rm -rf "$out/single-app" "$out/single-pg"; cp -r "$app" "$out/single-app"
extra=()
[[ $cold == 1 ]] && extra=(-Dbaga.cache.max-rows=1 -Dbaga.cache.max-districts=0 -Dbaga.render-cache.max-bytes=0)
trap service_stop EXIT
service_start "$out/single-app" "$out/single-pg" "$port" "$warehouse" "$out/single-service.log" "${extra[@]}"
base="http://127.0.0.1:$port/api/v1"
demo_ids "$port"
names=("student grades" "analytics JSON" "dynamics PNG" "pupil report PDF" "medal candidates JSON"
       "district indicators JSON" "district report PDF (inline)")
users=(parent.premium parent.premium parent.premium parent.premium school department department)
urls=("$base/students/$child/grades" "$base/students/$child/analytics"
      "$base/students/$child/charts/dynamics.png?subject=ALL" "$base/students/$child/report.pdf?term=3"
      "$base/schools/$school/medal-candidates" "$base/districts/$district/indicators?term=4&subject=ALL"
      "$base/districts/$district/report.pdf?term=4&async=false")
echo "== single requests ${label:+($label) }$(date -u +%FT%TZ) cold=$cold repeat=$repeat load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in "${!names[@]}"; do
  times=()
  for k in $(seq 0 "$repeat"); do
    dest=/dev/null; [[ -n "$save" ]] && dest="$save/$i.body"
    read -r code t size < <(curl -s -o "$dest" -w '%{http_code} %{time_total} %{size_download}\n' \
      -H "$(basic "${users[$i]}")" "${urls[$i]}")
    [[ "$code" == 200 ]] || echo "   ${names[$i]}: HTTP $code" >&2
    times+=("$t")
  done
  python3 - "${names[$i]}" "$size" "${times[@]}" <<'PY'
import statistics, sys
name, size, ts = sys.argv[1], sys.argv[2], [float(x) * 1000 for x in sys.argv[3:]]
first, rest = ts[0], ts[1:]
print(f"   {name}: first {first:.0f} ms; then {' '.join(f'{t:.0f}' for t in rest)} ms, "
      f"median {statistics.median(rest):.1f} ms ({size} bytes)")
PY
done
