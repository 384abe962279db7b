#!/usr/bin/env python3
"""Deterministic generator for the scaling-plan exercise evidence.

Writes:
  evidence/edge-traffic-hourly.csv   one row per hour, 2026-06-01 .. 2026-08-29 (90 days)
  evidence/backend-daily.csv         one row per day (midnight UTC), daily peak values

Model (the numbers the documents quote come from the summary this script prints):
  * organic growth 60 %/year, applied smoothly (x1.6 per 365 days)
  * weekday factor 1.12 (Mon-Fri), 0.72 Sat, 0.68 Sun; diurnal peak at 15:00 UTC
  * peak hour / 7-day mean = about 2.5
  * 2026-07-14 01:50-07:30 feed-writer stopped: retained WAL on the primary grew ~72 GB/h
  * the edge does not cache package documents: every metadata request reaches registry-api, about 42 % of
    edge requests (exercises/world.yaml, fact registry-api-origin); registry-api builds package documents
    from the metadata-db primary on a Redis miss (fact read-path); the replicas serve the website
  * 2026-07-22 13:10-15:50 registry-api cache TTL change: Redis packument hit ratio ~0.84 instead of 0.92,
    so twice the builds; registry-api at HPA max (30 pods, builds cost CPU), PgBouncer saturated, p99 > 1 s
Python 3 stdlib only, fixed seed.
"""
import csv
import datetime as dt
import math
import os
import random

random.seed(20260901)

HERE = os.path.dirname(os.path.abspath(__file__))
EVID = os.path.join(HERE, "..", "evidence")

START = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
DAYS = 90
REF = dt.datetime(2026, 8, 26, 12, tzinfo=dt.timezone.utc)   # middle of the last week
GROWTH_YEAR = 1.6

MEAN_NOW = 7000.0            # edge req/s, 7-day mean, last week
SHARE_TARBALL = 3860 / 7000
SHARE_META = 2940 / 7000   # 0.42 of edge requests, all passed to registry-api
SHARE_OTHER = 200 / 7000
HIT_REDIS = 0.92            # registry-api's Redis hit ratio for package documents

E_PEAK_REF = 17500.0         # reference edge peak used to scale backend metrics
O_PEAK_REF = 7350.0          # reference origin peak (0.42 x 17,500)
PGB_TX_REF = 10900.0         # PgBouncer tx/s at reference peak
PGB_TX_MAX = 14730.0         # one core = 100 %
PRIMARY_IOPS_REF = 7600.0
PRIMARY_CPU_REF = 41.0
REPLICA_CPU_REF = 36.0
FEED_REF = 2.28   # MB/s written to the feed at the edge's peak (third edition: was 210 events/s, 300 times
                  # the world's 0.75 publishes/s; a feed record carries the whole package document, about 1.5 MB)
SEARCH_CPU_REF = 31.0

WEEKDAY = [1.12, 1.12, 1.12, 1.12, 1.12, 0.72, 0.68]   # Mon..Sun


def growth(t):
    return GROWTH_YEAR ** ((t - REF).total_seconds() / (365 * 86400))


def diurnal_table(target_ratio):
    """von Mises shape over 24 hourly samples, mean 1, max/mean = target_ratio."""
    def shape(k):
        v = [math.exp(k * math.cos(2 * math.pi * (h - 15) / 24)) for h in range(24)]
        m = sum(v) / 24
        return [x / m for x in v]
    lo, hi = 0.1, 3.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if max(shape(mid)) < target_ratio:
            lo = mid
        else:
            hi = mid
    return shape((lo + hi) / 2)


DIURNAL = diurnal_table(2.5 / 1.12)

TTL_EVENT = {13: 0.845, 14: 0.838, 15: 0.842}   # 2026-07-22 hours (UTC) -> Redis packument hit ratio
FEED_STOP = dt.datetime(2026, 7, 14, 1, 50, tzinfo=dt.timezone.utc)
FEED_START = dt.datetime(2026, 7, 14, 7, 30, tzinfo=dt.timezone.utc)


def fmt(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


hourly = []
for i in range(DAYS * 24):
    t = START + dt.timedelta(hours=i)
    base = MEAN_NOW * growth(t) * WEEKDAY[t.weekday()] * DIURNAL[t.hour]
    total_noise = random.gauss(1.0, 0.01)
    tarball = base * SHARE_TARBALL * total_noise * random.gauss(1.0, 0.006)
    meta = base * SHARE_META * total_noise * random.gauss(1.0, 0.006)
    other = base * SHARE_OTHER * total_noise * random.gauss(1.0, 0.02)
    edge = tarball + meta + other
    hit = HIT_REDIS + random.gauss(0, 0.003)
    if t.date() == dt.date(2026, 7, 22) and t.hour in TTL_EVENT:
        hit = TTL_EVENT[t.hour]
    origin = meta                                # the edge passes every package-document request on
    builds = (1 - hit) / (1 - HIT_REDIS)         # builds relative to normal, at the same traffic
    pods = min(30, max(24, math.ceil(origin / 372 * (0.6 + 0.4 * builds ** 2))))   # builds cost pod CPU
    # backend load (internal, hourly)
    tx = PGB_TX_REF * (0.6 * edge / E_PEAK_REF + 0.4 * origin / O_PEAK_REF * builds) * random.gauss(1.0, 0.008)
    tx = min(tx, PGB_TX_MAX * random.uniform(0.985, 0.992)) if tx > PGB_TX_MAX * 0.985 else tx
    u = tx / PGB_TX_MAX
    per_pod = origin / pods
    p99 = 140 + 0.1 * per_pod + (50000 * (u - 0.8) ** 2 if u > 0.8 else 0) + random.gauss(0, 4)
    iops = PRIMARY_IOPS_REF * edge / E_PEAK_REF * random.gauss(1.0, 0.012)
    pcpu = PRIMARY_CPU_REF * (0.8 * edge / E_PEAK_REF + 0.2 * tx / PGB_TX_REF) * random.gauss(1.0, 0.01)
    rcpu = REPLICA_CPU_REF * (0.5 * edge / E_PEAK_REF + 0.5 * origin / O_PEAK_REF) * random.gauss(1.0, 0.01)   # the website
    feed = FEED_REF * edge / E_PEAK_REF * random.gauss(1.0, 0.03)
    scpu = SEARCH_CPU_REF * edge / E_PEAK_REF * random.gauss(1.0, 0.02)
    hourly.append(dict(t=t, edge=edge, tarball=tarball, meta=meta, hit=hit, origin=origin,
                       pods=pods, p99=p99, tx=tx, u=u, iops=iops, pcpu=pcpu, rcpu=rcpu,
                       feed=feed, scpu=scpu))

with open(os.path.join(EVID, "edge-traffic-hourly.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["time", "edge_total_rps", "edge_tarball_rps", "edge_metadata_rps",
                "registry_api_origin_rps", "redis_packument_hit_ratio", "registry_api_pods",
                "registry_api_p99_ms"])
    for r in hourly:
        w.writerow([fmt(r["t"]), round(r["edge"]), round(r["tarball"]), round(r["meta"]),
                    round(r["origin"]), f"{r['hit']:.3f}", r["pods"], round(r["p99"])])

# ---- daily ----
END_DAY = dt.datetime(2026, 8, 29, tzinfo=dt.timezone.utc)
daily = []
for d in range(DAYS):
    day = START + dt.timedelta(days=d)
    rows = hourly[d * 24:(d + 1) * 24]
    months_from_end = (day - END_DAY).total_seconds() / (30.4 * 86400)
    redis = 118.0 * 1.025 ** months_from_end + random.gauss(0, 0.25)
    # tarball store: 420 TB at END_DAY, adding 12 TB/month now, growing 4 %/month
    # integral of 12/30.4 * 1.04^(x/30.4) dx from day to END_DAY
    k = math.log(1.04) / 30.4
    days_to_end = (END_DAY - day).days
    added_since = (12 / 30.4) * (1 - math.exp(-k * days_to_end)) / k
    tarball_tb = 420.0 - added_since + random.gauss(0, 0.05)
    wal = random.uniform(14, 28)
    if day.date() == dt.date(2026, 7, 14):
        wal = 410.0
    if day.date() == dt.date(2026, 8, 15):
        wal = 180.0   # feed-0 volume full 01:32-04:12 (toil-automation, failure note 3): one world, one calendar
    disk = 3.10 + 0.060 * months_from_end + (wal - 20) / 1000 + random.gauss(0, 0.004)
    daily.append(dict(
        t=day,
        pgb_cpu=max(r["u"] for r in rows) * 100,
        pgb_tx=max(r["tx"] for r in rows),
        pcpu=max(r["pcpu"] for r in rows),
        iops=max(r["iops"] for r in rows),
        rcpu=max(r["rcpu"] for r in rows),
        redis=redis,
        feed=max(r["feed"] for r in rows),
        wal=wal,
        disk=disk,
        tarball_tb=tarball_tb,
        scpu=max(r["scpu"] for r in rows),
    ))

with open(os.path.join(EVID, "backend-daily.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["time", "pgbouncer_cpu_pct_peak", "pgbouncer_tx_per_s_peak",
                "db_primary_cpu_pct_peak", "db_primary_write_iops_peak",
                "db_replica_cpu_pct_peak", "redis_used_gb", "feed_written_mb_per_s_peak",
                "wal_retained_gb_peak", "db_disk_used_tb", "tarball_store_tb",
                "search_cpu_pct_peak"])
    for r in daily:
        w.writerow([fmt(r["t"]), f"{r['pgb_cpu']:.1f}", round(r["pgb_tx"]), f"{r['pcpu']:.1f}",
                    round(r["iops"]), f"{r['rcpu']:.1f}", f"{r['redis']:.1f}", f"{r['feed']:.2f}",
                    round(r["wal"]), f"{r['disk']:.2f}", f"{r['tarball_tb']:.1f}",
                    f"{r['scpu']:.1f}"])

# ---- summary for the documents ----
def week(rows, start, end):
    return [r for r in rows if start <= r["t"] < end]

last_h = week(hourly, dt.datetime(2026, 8, 23, tzinfo=dt.timezone.utc), dt.datetime(2026, 8, 30, tzinfo=dt.timezone.utc))
first_h = week(hourly, START, START + dt.timedelta(days=7))
last_d = week(daily, dt.datetime(2026, 8, 23, tzinfo=dt.timezone.utc), dt.datetime(2026, 8, 30, tzinfo=dt.timezone.utc))
first_d = daily[:7]
mean = lambda xs: sum(xs) / len(xs)
print("last week edge mean %.0f peak %.0f ratio %.2f" % (mean([r["edge"] for r in last_h]), max(r["edge"] for r in last_h), max(r["edge"] for r in last_h) / mean([r["edge"] for r in last_h])))
print("first week edge mean %.0f -> growth over 12 weeks %.3f" % (mean([r["edge"] for r in first_h]), mean([r["edge"] for r in last_h]) / mean([r["edge"] for r in first_h])))
for key in ["tarball", "meta", "origin", "hit"]:
    print("last week %s mean %.3f max %.3f" % (key, mean([r[key] for r in last_h]), max(r[key] for r in last_h)))
for key in ["pgb_cpu", "pgb_tx", "pcpu", "iops", "rcpu", "redis", "feed", "disk", "tarball_tb", "scpu"]:
    print("daily last-week max %-10s %.2f   first-week max %.2f" % (key, max(r[key] for r in last_d), max(r[key] for r in first_d)))
ev = [r for r in hourly if r["t"].date() == dt.date(2026, 7, 22) and 12 <= r["t"].hour <= 16]
for r in ev:
    print("ttl event", fmt(r["t"]), round(r["origin"]), r["pods"], round(r["origin"] / r["pods"]), round(r["p99"]), round(r["u"] * 100), round(r["pcpu"], 1))
print("max p99 outside event", max(r["p99"] for r in hourly if not (r["t"].date() == dt.date(2026, 7, 22) and r["t"].hour in TTL_EVENT)))
print("max wal outside incident", max(r["wal"] for r in daily if r["t"].date() not in (dt.date(2026, 7, 14), dt.date(2026, 8, 15))))
