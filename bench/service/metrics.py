#!/usr/bin/env python3
"""Reads the service's Prometheus text (stdin) and prints one line: the audit group commit's batches, the
render cache's hits and misses, the parent-access cache's hits and misses and the bcrypt checks (run.sh, after
each phase)."""
import re
import sys

values = {}
for line in sys.stdin:
    if line.startswith("#"):
        continue
    m = re.match(r"([a-zA-Z_:]+)(\{[^}]*\})? (\S+)", line)
    if m:
        values[(m.group(1), m.group(2) or "")] = float(m.group(3))


def total(name, label=None):
    return sum(v for (n, labels), v in values.items() if n == name and (label is None or label in labels))


n = total("baga_audit_batch_size_count")
s = total("baga_audit_batch_size_sum")
mx = max([v for (k, _), v in values.items() if k == "baga_audit_batch_size_max"] or [0])
hit = total("baga_rendered_hits_total")
miss = total("baga_rendered_renders_total")
line = (f"audit records {s:.0f} in {n:.0f} transactions (mean batch {s / n if n else 0:.1f}, largest in the last "
        f"minutes {mx:.0f}); render cache hits {hit:.0f}, renders {miss:.0f}")
p_hit = total("cache_gets_total", 'cache="baga.parent-access",result="hit"')
p_miss = total("cache_gets_total", 'cache="baga.parent-access",result="miss"')
bcrypt = total("baga_auth_bcrypt_checks_total")
rechecks = total("baga_auth_rechecks_total")
print(f"{line}; parent-access cache hits {p_hit:.0f}, misses {p_miss:.0f}; bcrypt checks {bcrypt:.0f}, "
      f"logins re-checked without bcrypt {rechecks:.0f}")
