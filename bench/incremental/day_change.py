#!/usr/bin/env python3
"""One day's change to a generated district's input folder, deterministic for a seed:
a new file of about N events for one school (events/bilimclass-SCHOOL-dayD.csv: copies of that school's events with
new event ids), and one corrected event in an older file of another school (a score one lower or higher and a
recorded_at an hour later, so the correction is the copy that stands).

usage: day_change.py INPUT_DIR DAY [--events N] [--seed S]   prints what it changed, one line
"""
import argparse
import datetime
import glob
import os
import random

p = argparse.ArgumentParser()
p.add_argument("input")
p.add_argument("day", type=int)
p.add_argument("--events", type=int, default=5000)
p.add_argument("--seed", type=int, default=2026)
a = p.parse_args()

rng = random.Random(a.seed * 1000 + a.day)
files = sorted(f for f in glob.glob(os.path.join(a.input, "events", "bilimclass-*.csv")) if "-day" not in f)
if len(files) < 2:
    raise SystemExit("day_change.py: needs at least two events/bilimclass-*.csv files in " + a.input)
new_for, corrected = rng.sample(files, 2)

with open(new_for, encoding="utf-8") as f:
    header = f.readline()
    lines = f.read().splitlines()
cols = header.strip().split(",")
i_id = cols.index("event_id")
school = os.path.basename(new_for)[len("bilimclass-"):-len(".csv")]
out = os.path.join(a.input, "events", "bilimclass-%s-day%d.csv" % (school, a.day))
picked = rng.sample(lines, min(a.events, len(lines)))
with open(out, "w", encoding="utf-8") as f:
    f.write(header)
    for n, line in enumerate(picked):
        fields = line.split(",")
        fields[i_id] = "%s-day%d-%d" % (fields[i_id], a.day, n)
        f.write(",".join(fields) + "\n")

with open(corrected, encoding="utf-8") as f:
    text = f.read()
rows = text.split("\n")
i_score, i_max, i_rec, i_kind = (cols.index(c) for c in ("score", "max_score", "recorded_at", "kind"))
while True:
    k = rng.randrange(1, len(rows))
    fields = rows[k].split(",")
    if len(fields) == len(cols) and fields[i_kind] in ("FO", "SOR", "SOCH") and fields[i_rec]:
        try:
            score, top = int(fields[i_score]), int(fields[i_max])
            rec = datetime.datetime.strptime(fields[i_rec], "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
        break
fields[i_score] = str(score - 1 if score > 0 else min(top, score + 1))
fields[i_rec] = (rec + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
rows[k] = ",".join(fields)
with open(corrected, "w", encoding="utf-8") as f:
    f.write("\n".join(rows))
print("day %d: %s (%d events); corrected %s line %d (event %s)"
      % (a.day, os.path.relpath(out, a.input), len(picked), os.path.relpath(corrected, a.input), k + 1, fields[i_id]))
