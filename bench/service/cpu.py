#!/usr/bin/env python3
"""CPU accounting for one benchmark run on a shared machine (Linux /proc).

  cpu.py snap SERVICE_PID PG_DATA_DIR            -> one JSON line: wall time, machine busy/idle ticks,
                                                    ticks of the service JVM and of its PostgreSQL processes
  cpu.py diff BEFORE_JSON AFTER_JSON WRK_TIME_FILE -> cores used during the run by the service, its PostgreSQL,
                                                    wrk (GNU time's "%U %S"), everybody else, and idle
"""
import json
import os
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def proc_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12]), int(fields[1])  # utime + stime, ppid
    except (OSError, IndexError, ValueError):
        return 0, -1


def snap(service_pid, pg_dir):
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    busy = v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] if len(v) > 7 else 0)
    idle = v[3] + v[4]
    postmaster = None
    procs = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        ticks, ppid = proc_ticks(d)
        procs[int(d)] = (ticks, ppid)
        if postmaster is None:
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
                if "postgres" in cmd and pg_dir in cmd and "-D" in cmd:
                    postmaster = int(d)
            except OSError:
                pass
    pg = 0
    if postmaster is not None:
        pg = sum(t for p, (t, pp) in procs.items() if p == postmaster or pp == postmaster)
    return {"t": time.time(), "busy": busy, "idle": idle, "service": procs.get(int(service_pid), (0, 0))[0], "pg": pg}


def diff(a, b, wrk_file):
    secs = b["t"] - a["t"]
    cores = lambda ticks: ticks / HZ / secs
    try:
        u, s = open(wrk_file).read().split()[:2]
        wrk = (float(u) + float(s)) / secs
    except (OSError, ValueError):
        wrk = 0.0
    busy = cores(b["busy"] - a["busy"])
    service = cores(b["service"] - a["service"])
    pg = cores(b["pg"] - a["pg"])
    others = max(0.0, busy - service - pg - wrk)
    idle = cores(b["idle"] - a["idle"])
    return f"service={service:.2f} pg={pg:.2f} wrk={wrk:.2f} others={others:.2f} idle={idle:.2f}"


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        print(json.dumps(snap(sys.argv[2], sys.argv[3])))
    else:
        print(diff(json.loads(open(sys.argv[2]).read()), json.loads(open(sys.argv[3]).read()), sys.argv[4]))
