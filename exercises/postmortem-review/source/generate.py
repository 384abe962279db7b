#!/usr/bin/env python3
"""Generate evidence/registry-metrics.csv for the postmortem-review exercise.

Deterministic (fixed seed, stdlib only). One row per minute, 13:50-15:30 UTC on 2026-09-22.
Story: at 14:09 a `yard-admin cache flush --prefix meta:` hits the production Redis cache.
registry-api falls through to metadata-db, PgBouncer saturates, metadata requests fail.
14:14 alert fires as a warning only; 14:49 support pages on-call by hand; 14:57 edge rate limit for heavy
metadata clients on (load shedding); 15:00 cache warm job; 15:15 rate limit back to normal.
The edge caches tarballs only (world.yaml, fact registry-api-origin): nothing at the edge can answer a
package-document request, so the only way to take load off registry-api there is to refuse some of it.

Run:  python3 source/generate.py      (from the exercise folder)
Prints checkable numbers used in reviewer-notes.md.
"""
import csv
import os
import random
from datetime import datetime, timedelta

random.seed(20261006)

START = datetime(2026, 9, 22, 13, 50)
END = datetime(2026, 9, 22, 15, 30)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "evidence", "registry-metrics.csv")


def hm(s):
    h, m = s.split(":")
    return START.replace(hour=int(h), minute=int(m))


def interp(points, t):
    """Linear interpolation over [(\"HH:MM\", value), ...]; constant outside."""
    pts = [(hm(a), b) for a, b in points]
    if t <= pts[0][0]:
        return pts[0][1]
    for (t0, v0), (t1, v1) in zip(pts, pts[1:]):
        if t0 <= t <= t1:
            f = (t - t0).total_seconds() / (t1 - t0).total_seconds()
            return v0 + f * (v1 - v0)
    return pts[-1][1]


ERR = [("13:50", 0.003), ("14:08", 0.003), ("14:09", 0.03), ("14:10", 0.11), ("14:11", 0.22),
       ("14:12", 0.29), ("14:14", 0.33), ("14:16", 0.34), ("14:20", 0.32), ("14:30", 0.28),
       ("14:40", 0.25), ("14:48", 0.22), ("14:57", 0.20), ("14:58", 0.17), ("14:59", 0.13),
       ("15:00", 0.10), ("15:01", 0.08), ("15:02", 0.062), ("15:03", 0.04), ("15:04", 0.022),
       ("15:05", 0.012), ("15:06", 0.008), ("15:08", 0.005), ("15:12", 0.003), ("15:30", 0.003)]
HIT = [("13:50", 0.92), ("14:08", 0.92), ("14:09", 0.41), ("14:10", 0.04), ("14:15", 0.09),
       ("14:20", 0.15), ("14:30", 0.26), ("14:40", 0.35), ("14:48", 0.41), ("14:57", 0.46),
       ("14:59", 0.48), ("15:00", 0.52), ("15:01", 0.63), ("15:02", 0.74), ("15:03", 0.82),
       ("15:05", 0.87), ("15:08", 0.90), ("15:12", 0.92), ("15:30", 0.92)]
P99 = [("13:50", 180), ("14:08", 180), ("14:09", 900), ("14:10", 2400), ("14:11", 5000),
       ("14:59", 5000), ("15:00", 3100), ("15:01", 1400), ("15:02", 700), ("15:03", 420),
       ("15:05", 260), ("15:06", 240), ("15:08", 200), ("15:12", 180), ("15:30", 180)]
# PgBouncer clients of pool registry/registry_api waiting for a server connection. The 24 pods open at most 20
# client connections each (480; world.yaml, fact pgbouncer-clients) and 60 of them hold the pool's server
# connections, so the queue tops out near 410. Above 20 from 14:09 to 15:04, as in the first edition, so the
# random stream (and every other column) is unchanged.
WAIT = [("13:50", 2), ("14:08", 2), ("14:09", 40), ("14:10", 150), ("14:11", 330), ("14:12", 405),
        ("14:57", 409), ("14:58", 360), ("14:59", 240), ("15:00", 150), ("15:01", 70), ("15:02", 40),
        ("15:03", 32), ("15:04", 23), ("15:05", 8), ("15:07", 2), ("15:30", 2)]
CLIENTS = 24 * 20 - 60  # registry-api client connections to pgb-1 less those holding a server connection
# Requests reaching registry-api (after the CDN). Baseline drifts up slowly; clients retry during the
# incident; the edge rate limit for heavy clients 14:57-15:14 refuses (429) the retry storm and the heaviest
# mirrors and CI clients, so fewer requests reach registry-api (third edition: this was edge serve-stale, which
# cannot exist where the edge does not cache package documents).
# Third edition (issue 19): 22 September's traffic is late August's (scaling-plan: 6,450-7,370 req/s at registry-api
# on Tuesday 25 August, 13:00-16:00) grown by four weeks of 60 % a year; it was 6,700-7,000, below August's. The
# retry factor at the peak is 1.16 (was 1.20), so that the 24 pods stay within the world's 360 req/s per pod.
BASE = [("13:50", 7050), ("15:30", 7600)]   # about 0.42 of edge requests (world.yaml, fact registry-api-origin)
RETRY = [("13:50", 1.0), ("14:09", 1.0), ("14:10", 1.06), ("14:13", 1.16), ("14:57", 1.14),
         ("14:58", 0.86), ("14:59", 0.84), ("15:14", 0.84), ("15:15", 1.0), ("15:30", 1.0)]

rows = []
t = START
while t <= END:
    incident = hm("14:09") <= t <= hm("15:08")
    base = interp(BASE, t) * interp(RETRY, t)
    req = round(base * (1 + random.uniform(-0.015, 0.015)))
    e = interp(ERR, t)
    if incident:
        e *= 1 + random.uniform(-0.03, 0.03)
    else:
        e = max(0.001, e + random.uniform(-0.001, 0.001))
    hit = interp(HIT, t)
    hit = min(0.99, hit + random.uniform(-0.006, 0.006)) if not hm("14:10") <= t <= hm("14:15") else hit + random.uniform(-0.004, 0.004)
    p99 = interp(P99, t)
    p99 = 5000 if p99 >= 5000 else round(p99 * (1 + random.uniform(-0.06, 0.06)))
    w = interp(WAIT, t)
    w = round(w * (1 + random.uniform(-0.01, 0.01))) if w > 20 else random.randint(0, 4)
    w = min(w, CLIENTS)
    rows.append((t, req, round(e, 4), p99, round(hit, 3), w))
    t += timedelta(minutes=1)

with open(OUT, "w", newline="") as f:
    wr = csv.writer(f, lineterminator="\n")
    wr.writerow(["time", "metadata_requests_per_s", "metadata_error_rate", "p99_latency_ms",
                 "cache_hit_ratio", "pgbouncer_waiting_clients"])
    for r in rows:
        wr.writerow([r[0].strftime("%Y-%m-%dT%H:%M:00Z")] + list(r[1:]))

# ---- checkable numbers for reviewer-notes.md ----
above = [r for r in rows if r[2] > 0.05]
peak = max(rows, key=lambda r: r[2])
failed = sum(r[1] * r[2] * 60 for r in rows)
base_failed = sum(r[1] * 0.003 * 60 for r in rows)
inc = [r for r in rows if hm("14:09") <= r[0] <= hm("15:08")]
inc_failed = sum(r[1] * r[2] * 60 for r in inc)
inc_total = sum(r[1] * 60 for r in inc)
print("error_rate > 0.05 first:", above[0][0].strftime("%H:%M"), "last:", above[-1][0].strftime("%H:%M"),
      "minutes:", len(above))
print("peak error rate:", peak[2], "at", peak[0].strftime("%H:%M"))
print("p99 at 5000 ms timeout minutes:", sum(1 for r in rows if r[3] >= 5000))
print("failed metadata requests 14:09-15:08: %.0f of %.0f (%.1f%%)" % (inc_failed, inc_total, 100 * inc_failed / inc_total))
print("failed requests whole file %.0f, of which baseline-equivalent %.0f" % (failed, base_failed))
for hhmm in ["14:09", "14:10", "14:14", "14:16", "14:50", "15:01", "15:02", "15:03", "15:05", "15:06", "15:15"]:
    r = [x for x in rows if x[0] == hm(hhmm)][0]
    print(hhmm, r[1:])
