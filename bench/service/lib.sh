# Shared by run.sh, single.sh and soak.sh (sourced, not run): where things are, the tools, the jars, starting,
# waiting for and stopping the service, and the demo accounts. A script that calls ensure_service_build defines
# log() first.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/service"
WRK_LUA="$HERE/wrk-result.lua"

# need_tools PREFIX TOOL...: exits 2 naming the first tool not on PATH (PREFIX starts the message, e.g. "soak.sh: ").
need_tools() {
  local prefix="$1" tool; shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "${prefix}$tool missing (wrk: apt-get install -y wrk)" >&2; exit 2; }
  done
}

# ensure_service_build: builds report-service's quarkus-app when it is missing or older than the module's sources.
ensure_service_build() {
  local app="$ROOT/report-service/target/quarkus-app"
  if [[ ! -f "$app/quarkus-run.jar" || -n "$(find "$ROOT/report-service/src/main" "$ROOT/report-service/pom.xml" \
        -newer "$app/quarkus-run.jar" -type f | head -1)" ]]; then
    log "building report-service"
    "$ROOT/mvnw" -q -B -o -DskipTests package -pl report-service >&2
  fi
}

# jobs_jar: prints the path of analytics-jobs' jar, building it first when there is none.
jobs_jar() {
  local jar
  jar=$(ls "$ROOT"/analytics-jobs/target/analytics-jobs-*.jar 2>/dev/null | grep -v -- '-tests\|-sources' | head -1 \
    || true)
  if [[ -z "$jar" ]]; then
    "$ROOT/mvnw" -q -B -o -DskipTests install -pl analytics-jobs -am >&2
    jar=$(ls "$ROOT"/analytics-jobs/target/analytics-jobs-*.jar | grep -v -- '-tests\|-sources' | head -1)
  fi
  echo "$jar"
}

# spark_flags: the JVM flags Spark needs, as the root pom declares them.
spark_flags() {
  sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$ROOT/pom.xml"
}

# service_start APP PG PORT WAREHOUSE LOG [-Dname=value...]: starts the service from APP (a quarkus-app folder) in
# demo mode on 127.0.0.1:PORT, -Xmx1g, with its embedded PostgreSQL in PG, its audit key and checkpoints in a fresh
# PG.audit (checkpoints of an earlier database would not verify against a new one) and its output in LOG; sets pid
# and waits until it is ready (up to 90 s), or exits 1 with the end of LOG when it dies.
service_start() {
  local app="$1" pg="$2" port="$3" warehouse="$4" out="$5"; shift 5
  rm -rf "$pg.audit"
  java -Xmx1g -Djava.awt.headless=true -Dbaga.warehouse="$warehouse" -Dbaga.demo=true -Dbaga.db.dir="$pg" \
    -Dbaga.audit.dir="$pg.audit" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    -Dquarkus.log.level=WARN "$@" \
    -jar "$app/quarkus-run.jar" > "$out" 2>&1 &
  pid=$!
  for _ in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || { tail -30 "$out" >&2; exit 1; }
    sleep 0.5
  done
}

# service_stop: stops the service started last (up to 30 s for it to end); for traps too.
pid=""
service_stop() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"; for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  pid=""
}

# auth USER: the value of an HTTP Basic Authorization header for a demo account; basic USER: the whole header.
auth() { printf 'Basic %s' "$(printf '%s:demo' "$1" | base64)"; }
basic() { printf 'Authorization: %s' "$(auth "$1")"; }

# session_cookie PORT USER: signs in through the pages' form and prints the session cookie (name=value).
session_cookie() {
  curl -s -o /dev/null -D - --data-urlencode "j_username=$2" --data-urlencode "j_password=demo" \
    "http://127.0.0.1:$1/j_security_check" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(baga-session=[^;]*\).*/\1/p'
}

# demo_ids PORT: sets child (the premium parent's first child), school and district (the demo accounts' own).
demo_ids() {
  local me="http://127.0.0.1:$1/api/v1/me"
  child=$(curl -s -H "$(basic parent.premium)" "$me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["children"][0]["studentId"])')
  school=$(curl -s -H "$(basic school)" "$me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["schoolId"])')
  district=$(curl -s -H "$(basic department)" "$me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["districtId"])')
}
