#!/usr/bin/env bash
# Load test of the report service with wrk on loopback (issue 3, "Performance").
#
#   bench/service/run.sh [--schools N [--one-district] [--gen "GENERATOR ARGS"]] [--input DIR] [--warehouse DIR]
#                        [--duration 15s] [--connections 50] [--threads 2] [--report-connections 4]
#                        [--warmup 30s] [--single-duration 5s]
#                        [--phases warm,cold] [--port 18090] [--no-record] [--app DIR] [--label TEXT]
#
# Data (made once, then reused from bench/data/service-TAG/):
#   default          the committed sample (sample-data/district-small)
#   --schools N      ./baga generate --schools N --seed 2026 [GENERATOR ARGS], e.g. --gen "--grades 2-11
#                    --classes-per-grade 1 --pupils 3-5" for fewer events per school; --one-district puts every
#                    school into the first school's district (the generator spreads schools over Almaty's 8
#                    districts; one district of N schools is the worst case for district reports)
#   --input DIR      an existing input folder;  --warehouse DIR  an existing warehouse (no pipeline run)
# The pipeline runs once, from a copy of analytics-jobs' jar (a rebuild by someone else cannot change it midway).
#
# Service: report-service's quarkus-app (built with -pl report-service only when missing or older than its
# sources; --app DIR takes another build's quarkus-app instead, e.g. a copy of an earlier one to compare with,
# and --label TEXT names it in the results), copied to bench/out/service/app, started in demo mode on 127.0.0.1:PORT with -Xmx1g and its own
# embedded PostgreSQL (bench/out/service/pg, fresh per phase).
#
# Phases:
#   warm   caches as configured; each endpoint gets 20 warm-up requests, then wrk
#   cold   the service restarted with baga.cache.max-rows=1, baga.cache.max-districts=0 and
#          baga.render-cache.max-bytes=0: every request builds its school/district read model from Parquet and
#          renders its chart/PDF/indicators JSON (the OS page cache stays warm: this machine is shared)
# In each phase, first the latency of the very first request per endpoint after start (curl), then per
# endpoint: a wrk warm-up (WARMUP, not recorded; 5 s left the first endpoints measured while the JIT of a freshly
# started service still compiled them), wrk -t THREADS -c CONNECTIONS -d DURATION --timeout 30s, and
# wrk -c1 -d SINGLE-DURATION (latency without queueing); the district report (inline, ?async=false) with
# --report-connections; one district report as a job (202 -> poll -> PDF) end to end; the JVM's peak RSS
# (VmHWM) and heap after a full GC; the audit group commit's batch sizes and the render cache's hits and misses
# (from /q/metrics).
# Endpoints: student grades, analytics, dynamics PNG, pupil report PDF (parent.premium); school medal
# candidates (school); district indicators (term 4, subject ALL, all grades), district report PDF (department);
# the pages (signed in through the form): pupil page, medal candidates page, district page (term 4).
#
# Output: bench/out/service/results.txt (raw), and unless --no-record bench/results/DATE-service-TAG.md.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

schools="" one_district=0 gen_args="" input="" warehouse="" duration=15s conns=50 wthreads=2 report_conns=4
phases="warm,cold" port=18090 record=1 warmup=30s single_duration=5s app_src="" label=""
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --schools) schools="$2"; shift 2 ;;
    --one-district) one_district=1; shift ;;
    --gen) gen_args="$2"; shift 2 ;;
    --input) input="$(cd "$2" && pwd)"; shift 2 ;;
    --warehouse) warehouse="$(cd "$2" && pwd)"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --single-duration) single_duration="$2"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    --threads) wthreads="$2"; shift 2 ;;
    --report-connections) report_conns="$2"; shift 2 ;;
    --phases) phases="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --no-record) record=0; shift ;;
    --app) app_src="$(cd "$2" && pwd)"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
need_tools "" wrk curl java python3 /usr/bin/time
out="$ROOT/bench/out/service"; mkdir -p "$out"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# ------------------------------------------------------------------------------------------------ data
pipeline_s="" gen_note=""
if [[ -z "$warehouse" ]]; then
  if [[ -n "$input" ]]; then
    tag="$(basename "$input")"
  elif [[ -n "$schools" ]]; then
    tag="${schools}s"
    [[ $one_district == 1 ]] && tag="$tag-one"
    [[ -n "$gen_args" ]] && tag="$tag-$(printf '%s' "$gen_args" | md5sum | cut -c1-6)"
  else
    tag="sample"; input="$ROOT/sample-data/district-small"
  fi
  data="$ROOT/bench/data/service-$tag"; warehouse="$data/warehouse"; mkdir -p "$data"
  if [[ -n "$schools" && -z "$input" ]]; then
    input="$data/input"
    gen_note="generate --schools $schools --seed 2026 $gen_args$([[ $one_district == 1 ]] && echo ' (one district)')"
    if [[ ! -f "$input/schools.csv" ]]; then
      log "generating $gen_note"
      # shellcheck disable=SC2086
      "$ROOT/baga" generate --out "$input" --schools "$schools" --seed 2026 $gen_args > "$data/generate.log" 2>&1
      tail -1 "$data/generate.log" >&2
      if [[ $one_district == 1 ]]; then
        python3 - "$input/schools.csv" <<'PY'
import csv, sys
p = sys.argv[1]
rows = list(csv.reader(open(p, encoding="utf-8", newline="")))
head, body = rows[0], rows[1:]
i = [head.index(c) for c in ("district_id", "district_name_kk", "district_name_ru")]
for r in body:
    for k in i:
        r[k] = body[0][k]
with open(p, "w", encoding="utf-8", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
PY
      fi
    fi
  fi
  if [[ ! -f "$warehouse/CURRENT" ]]; then
    jobs_dir="$out/pipeline-jar"; rm -rf "$jobs_dir"; mkdir -p "$jobs_dir"
    jar=$(jobs_jar)
    cp "$jar" "$jobs_dir/analytics-jobs.jar"; cp "$ROOT/analytics-jobs/target/runtime-classpath.txt" "$jobs_dir/"
    flags="$(spark_flags)"
    log "pipeline on $input (jar of $(date -r "$jar" '+%F %T'), load $(load))"
    t0=$(date +%s)
    # shellcheck disable=SC2086
    env SPARK_LOCAL_IP=127.0.0.1 java $flags -Dbaga.jvm.flags="$flags" -Xmx"${BAGA_DRIVER_MEMORY:-4g}" \
      -Djava.awt.headless=true -cp "$jobs_dir/analytics-jobs.jar:$(cat "$jobs_dir/runtime-classpath.txt")" \
      kz.baga.jobs.cli.PipelineCommand --input "$input" --warehouse "$warehouse" > "$data/pipeline.log" 2>&1 \
      || { tail -30 "$data/pipeline.log" >&2; exit 1; }
    pipeline_s=$(( $(date +%s) - t0 ))
    echo "$pipeline_s" > "$data/pipeline-seconds"
    log "pipeline done in ${pipeline_s}s"
  fi
  [[ -f "$data/pipeline-seconds" ]] && pipeline_s="$(cat "$data/pipeline-seconds")"
else
  tag="$(basename "$warehouse")"
fi
snap_dir="$warehouse/snapshots/$(cat "$warehouse/CURRENT")"
read -r n_schools n_districts n_events n_pupils < <(python3 - "$snap_dir" "${input:-}" <<'PY'
import json, sys, os, csv
m = json.load(open(os.path.join(sys.argv[1], "manifest.json")))
events = m.get("counts", {}).get("read", 0)
schools = districts = pupils = 0
inp = sys.argv[2]
if inp and os.path.exists(os.path.join(inp, "schools.csv")):
    rows = list(csv.DictReader(open(os.path.join(inp, "schools.csv"), encoding="utf-8")))
    schools, districts = len(rows), len({r["district_id"] for r in rows})
    pupils = sum(1 for _ in open(os.path.join(inp, "students.csv"), encoding="utf-8")) - 1
print(schools, districts, events, pupils)
PY
)

# ------------------------------------------------------------------------------------------------ service
if [[ -n "$app_src" ]]; then
  [[ -f "$app_src/quarkus-run.jar" ]] || { echo "no quarkus-run.jar in $app_src" >&2; exit 2; }
else
  ensure_service_build
  app_src="$ROOT/report-service/target/quarkus-app"
fi
rm -rf "$out/app"; cp -r "$app_src" "$out/app"

trap service_stop EXIT
start_service() { # extra -D options...
  rm -rf "$out/pg"
  local t0; t0=$(date +%s%N)
  service_start "$out/app" "$out/pg" "$port" "$warehouse" "$out/service-$phase.log" "$@"
  startup_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}
base="http://127.0.0.1:$port/api/v1"
declare -A sessions=()
# The header a request of USER to URL carries: HTTP Basic for the API, the pages' session cookie otherwise
# (signed in once per phase through the form, as a browser does).
hdr() { # user url
  if [[ "$2" == */api/* ]]; then basic "$1"; return; fi
  if [[ -z "${sessions[$1]:-}" ]]; then
    sessions[$1]=$(session_cookie "$port" "$1")
  fi
  printf 'Cookie: %s' "${sessions[$1]}"
}

res="$out/results.txt"; : > "$res"
tsv="$out/results.tsv"; : > "$tsv"
note() { echo "$*" | tee -a "$res" >&2; }
note "== report-service benchmark $(date -u +%FT%TZ), data: $tag, warehouse $warehouse${label:+, build: $label}"
note "   schools $n_schools, districts $n_districts, pupils $n_pupils, events $n_events, pipeline ${pipeline_s:-?} s"
note "   wrk -t$wthreads -c$conns -d$duration (district report -c$report_conns), load before: $(load)"

first_hit() { # name user url
  local t code
  read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "$(hdr "$2" "$3")" "$3")
  note "   first request after start: $1: ${t}s (HTTP $code)"
  printf '%s\tfirst\t%s\t%s\t%s\n' "$phase" "$1" "$t" "$code" >> "$tsv"
}
wrk_line() { # connections duration user url -> wrk's figures, then the cores used meanwhile (cpu.py)
  python3 "$HERE/cpu.py" snap "$pid" "$out/pg" > "$out/cpu-before.json"
  /usr/bin/time -f '%U %S' -o "$out/wrk-time.txt" \
    wrk -t"$(( $1 < wthreads ? $1 : wthreads ))" -c"$1" -d"$2" --timeout 30s -s "$WRK_LUA" \
    -H "$(hdr "$3" "$4")" "$4" | tee -a "$out/wrk-$phase.txt" | grep '^WRK_RESULT' | sed 's/^WRK_RESULT //' \
    > "$out/wrk-line.txt" || true
  python3 "$HERE/cpu.py" snap "$pid" "$out/pg" > "$out/cpu-after.json"
  echo "$(cat "$out/wrk-line.txt") $(python3 "$HERE/cpu.py" diff "$out/cpu-before.json" "$out/cpu-after.json" \
    "$out/wrk-time.txt")"
}
bench() { # name user url [connections]: warm-up, loaded run, then one connection (latency without queueing)
  local c="${4:-$conns}" line single l
  wrk_line "$c" "$warmup" "$2" "$3" > /dev/null
  l=$(load)
  line=$(wrk_line "$c" "$duration" "$2" "$3")
  single=$(wrk_line 1 "$single_duration" "$2" "$3")
  note "   $1 (c=$c, load $l): $line"
  note "   $1 (c=1): $single"
  printf '%s\twrk\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$1" "$c" "$l" "$line" "$single" >> "$tsv"
}
job_time() { # district -> seconds from the 202 to the downloaded PDF
  local t0 loc status pdf_bytes
  t0=$(date +%s%N)
  loc=$(curl -s -o /dev/null -D - -H "$(basic department)" "$base/districts/$1/report.pdf?term=4&async=true" \
    | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  [[ -n "$loc" ]] || { note "   district report job: no Location"; return; }
  for _ in $(seq 1 600); do
    status=$(curl -s -H "$(basic department)" "$loc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    [[ "$status" == DONE || "$status" == FAILED ]] && break
    sleep 0.1
  done
  pdf_bytes=$(curl -s -H "$(basic department)" -H 'Accept: application/pdf' "$loc" | wc -c)
  local s; s=$(python3 -c "print(round(($(date +%s%N) - $t0) / 1e9, 3))")
  local render; render=$(curl -s -H "$(basic department)" "$loc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["renderMillis"])')
  note "   district report as a job: $status in ${s}s end to end (render ${render} ms, $pdf_bytes bytes)"
  printf '%s\tjob\tdistrict report job\t%s\t%s\t%s\n' "$phase" "$s" "$render" "$pdf_bytes" >> "$tsv"
}
memory() {
  local hwm heap
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  jcmd "$pid" GC.run >/dev/null 2>&1 || true
  heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | grep -Eo 'used [0-9]+K' | head -1 | grep -Eo '[0-9]+' || echo 0)
  note "   JVM peak RSS (VmHWM) $((hwm / 1024)) MB, heap used after full GC $((heap / 1024)) MB (-Xmx1g)"
  printf '%s\tmemory\t%s\t%s\n' "$phase" "$((hwm / 1024))" "$((heap / 1024))" >> "$tsv"
}

service_metrics() { # the audit group commit's batches and the render cache's hits (the service's /q/metrics)
  note "   $(curl -s -u admin:demo "http://127.0.0.1:$port/q/metrics" | python3 "$HERE/metrics.py" 2>/dev/null || echo 'metrics not available')"
}

for phase in ${phases//,/ }; do
  case "$phase" in
    warm) start_service ;;
    cold) start_service -Dbaga.cache.max-rows=1 -Dbaga.cache.max-districts=0 -Dbaga.render-cache.max-bytes=0 ;;
    *) echo "unknown phase $phase" >&2; exit 2 ;;
  esac
  note "-- phase $phase (service ready in ${startup_ms} ms)"
  demo_ids "$port"
  d_schools=$(python3 -c "import csv,sys; print(sum(1 for r in csv.DictReader(open('${input:-/dev/null}/schools.csv', encoding='utf-8')) if r['district_id']=='$district'))" 2>/dev/null || echo '?')
  note "   pupil $child of school $school; district $district ($d_schools schools)"
  sessions=()
  pages="http://127.0.0.1:$port"
  declare -a names=("student grades" "analytics JSON" "dynamics PNG" "pupil report PDF" "medal candidates JSON"
                    "district indicators JSON" "district report PDF (inline)" "pupil page" "medal candidates page"
                    "district page")
  declare -a users=(parent.premium parent.premium parent.premium parent.premium school department department
                    parent.premium school department)
  declare -a urls=("$base/students/$child/grades" "$base/students/$child/analytics"
                   "$base/students/$child/charts/dynamics.png?subject=ALL" "$base/students/$child/report.pdf?term=3"
                   "$base/schools/$school/medal-candidates" "$base/districts/$district/indicators?term=4&subject=ALL"
                   "$base/districts/$district/report.pdf?term=4&async=false" "$pages/children/$child"
                   "$pages/schools/$school/medal-candidates" "$pages/districts/$district?term=4")
  for i in "${!names[@]}"; do first_hit "${names[$i]}" "${users[$i]}" "${urls[$i]}"; done
  ind_bytes=$(curl -s -H "$(basic department)" "${urls[5]}" | wc -c)
  note "   district indicators JSON: $ind_bytes bytes"
  for i in 0 1 2 3 4 5; do bench "${names[$i]}" "${users[$i]}" "${urls[$i]}"; done
  bench "${names[6]}" "${users[6]}" "${urls[6]}" "$report_conns"
  for i in 7 8 9; do bench "${names[$i]}" "${users[$i]}" "${urls[$i]}"; done
  job_time "$district"
  memory
  service_metrics
  service_stop
done

# ------------------------------------------------------------------------------------------------ record
if [[ $record == 1 ]]; then
  md="$ROOT/bench/results/$(date +%F)-service-$tag.md"
  n=2; while [[ -e "$md" ]]; do md="$ROOT/bench/results/$(date +%F)-service-$tag-run$n.md"; n=$((n + 1)); done
  python3 - "$tsv" "$res" > "$md" <<PY
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
def kv(s):
    return dict(x.split("=", 1) for x in s.split())
print("# report-service benchmark: $tag")
print()
print("Recorded by \`bench/service/run.sh\` on $(date -u +%F) ($(nproc) cores, shared with other engineers' builds;")
print("the cores columns say how much CPU the service, its PostgreSQL, wrk and everybody else used during each run). Data: $n_schools schools in $n_districts district(s),")
print("$n_pupils pupils, $n_events events${gen_note:+ (}${gen_note}${gen_note:+)}; pipeline ${pipeline_s:-?} s. wrk -t$wthreads -c$conns -d$duration")
print("(district report: -c$report_conns), loopback, service -Xmx1g, embedded PostgreSQL.${label:+ Build: $label.}")
print()
for phase in [p for p in "${phases}".split(",")]:
    print(f"## {phase} cache")
    print()
    print("| request | connections | p50 ms | p90 ms | p99 ms | requests/s | non-2xx | errors | cores: service / PostgreSQL / wrk / others / idle | 1 connection: p50 / p99 ms, req/s | cores at 1 connection |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for r in rows:
        if r[0] == phase and r[1] == "wrk" and len(r) > 5 and r[5]:
            d = kv(r[5])
            one = kv(r[6]) if len(r) > 6 and r[6] else None
            single = f"{one['p50_ms']} / {one['p99_ms']}, {one['rps']}" if one else "-"
            cores = lambda x: f"{x.get('service', '?')} / {x.get('pg', '?')} / {x.get('wrk', '?')} / {x.get('others', '?')} / {x.get('idle', '?')}"
            print(f"| {r[2]} | {r[3]} | {d['p50_ms']} | {d['p90_ms']} | {d['p99_ms']} | {d['rps']} | {d['non2xx']} | {d['socket_errors']} | {cores(d)} | {single} | {cores(one) if one else '-'} |")
    print()
    firsts = [f"{r[2]} {float(r[3]) * 1000:.0f} ms" for r in rows if r[0] == phase and r[1] == "first"]
    print("First request of each endpoint after start (cold JVM, cold caches): " + "; ".join(firsts) + ".")
    for r in rows:
        if r[0] == phase and r[1] == "job":
            print(f"District report as a job: {r[3]} s from the request to the downloaded PDF (render {r[4]} ms, {r[5]} bytes).")
        if r[0] == phase and r[1] == "memory":
            print(f"JVM peak RSS (VmHWM): {r[2]} MB; heap used after a full GC: {r[3]} MB (-Xmx1g).")
    print()
print("## Raw")
print()
print("\`\`\`")
print(open(sys.argv[2], encoding="utf-8").read().rstrip())
print("\`\`\`")
PY
  log "recorded $md"
fi
