#!/usr/bin/env bash
# Load test of the report service with wrk on loopback.
#   bench/service/run.sh [--schools N] [--warehouse DIR] [--duration 20s] [--connections 50]
# Without --warehouse: generates a district of N schools (default: the committed sample) once under
# bench/data/service-N, runs the pipeline once, and reuses both on later runs. Starts the service in demo mode
# on port 18090 with its own embedded PostgreSQL (bench/out/service-pg), then measures:
#   analytics JSON, dynamics PNG, pupil PDF (wrk: p50/p99, requests/s) and one district PDF (curl: seconds),
# and the service's heap after the run. Results: bench/out/service-results.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
schools="" warehouse="" duration=20s conns=50 port=18090
while [[ $# -gt 0 ]]; do
  case "$1" in
    --schools) schools="$2"; shift 2 ;;
    --warehouse) warehouse="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    *) echo "usage: $0 [--schools N] [--warehouse DIR] [--duration 20s] [--connections 50]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 2; }
out="$ROOT/bench/out"; mkdir -p "$out"
if [[ -z "$warehouse" ]]; then
  tag="${schools:-sample}"; data="$ROOT/bench/data/service-$tag"; warehouse="$data/warehouse"
  if [[ ! -f "$warehouse/CURRENT" ]]; then
    input="$ROOT/sample-data/district-small"
    if [[ -n "$schools" ]]; then input="$data/input"; "$ROOT/baga" generate --out "$input" --schools "$schools" --seed 2026; fi
    "$ROOT/baga" pipeline --input "$input" --warehouse "$warehouse"
  fi
fi
"$ROOT/mvnw" -q -B -DskipTests install -pl report-service -am >&2
rm -rf "$out/service-pg"
java -Xmx1g -Djava.awt.headless=true -Dbaga.warehouse="$warehouse" -Dbaga.demo=true -Dbaga.db.dir="$out/service-pg" \
  -Dquarkus.http.port=$port -Dquarkus.log.level=WARN -jar "$ROOT/report-service/target/quarkus-app/quarkus-run.jar" \
  > "$out/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$port/q/health/ready" >/dev/null && break; sleep 1; done
base="http://localhost:$port/api/v1"
child=$(curl -s -u parent.premium:demo "$base/me" | sed -n 's/.*"studentId":"\([0-9a-f]*\)".*/\1/p')
district=$(curl -s -u department:demo "$base/me" | sed -n 's/.*"districtId":"\([^"]*\)".*/\1/p')
auth="Authorization: Basic $(printf 'parent.premium:demo' | base64)"
res="$out/service-results.txt"; : > "$res"
run() { # name url
  curl -s -o /dev/null -H "$auth" "$2"   # warm-up: first read builds the school's read model
  for _ in 1 2 3 4 5; do curl -s -o /dev/null -H "$auth" "$2"; done
  echo "== $1" | tee -a "$res"
  wrk -t2 -c"$conns" -d"$duration" --latency -H "$auth" "$2" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx" | tee -a "$res"
}
run "analytics JSON" "$base/students/$child/analytics"
run "dynamics PNG" "$base/students/$child/charts/dynamics.png?subject=ALL"
run "pupil PDF" "$base/students/$child/report.pdf?term=3"
curl -s -o /dev/null -u department:demo "$base/districts/$district/report.pdf?term=4"
t=$(curl -s -o /dev/null -w '%{time_total}' -u department:demo "$base/districts/$district/report.pdf?term=4")
echo "== district PDF: ${t}s" | tee -a "$res"
heap=$(jcmd $pid GC.heap_info 2>/dev/null | grep -Eo 'used [0-9]+K' | head -1 || true)
echo "== heap after run: ${heap:-n/a} (limit -Xmx1g)" | tee -a "$res"
