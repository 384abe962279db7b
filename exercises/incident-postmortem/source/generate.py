#!/usr/bin/env python3
"""Deterministic generator for the incident-postmortem evidence pack.

Writes evidence/edge.log, evidence/registry-api.log, evidence/pgbouncer.log, evidence/metadata-db.log,
evidence/edge-metrics.csv, evidence/backend-metrics.csv, evidence/registry-api-pods.csv (labelled by pod and
version) and evidence/pg-stat-statements.txt. The Markdown evidence (changes.md, incident-chat.md, edge-errors.md)
and the PR diff (pr-4471.diff) are written by hand and must agree with the times and queries used here.

Story (UTC, Wednesday 2026-10-14):
  12:15 canary of registry-api v4.82.0 (1 pod), 12:25-12:38 rolling deploy of v4.82.0 to 24 pods.
        v4.82.0 looks up a deprecation message once per version when it builds a packument on a cache miss
        (N+1): db queries per build go from 3 to versions+2.
  13:10 edge certificate rotation; OCSP staple fetch fails until 13:19 (red herring, harmless).
  13:27 ferret-http (1,377 versions) published: short pool spike to 59/60, no errors (near miss).
  14:01 search-svc v2.31.0 deploy; search p99 spike 14:01-14:06 (red herring).
  14:04:07 @orbit/ui 5.0.0 published; hot packument (1,912 versions) invalidated (trigger).
  14:06 pool 60/60; 14:07-14:57 edge error rate > 5 %.
  14:10 alert; 14:24-14:27 search-svc rollback (no effect); 14:38 PgBouncer pool 60 -> 90 (no lasting effect);
  14:49-14:57 registry-api rollback to v4.81.2; 15:01 baseline; 15:25 pool 90 -> 60.

Run: python3 source/generate.py   (from the exercise folder or anywhere; paths are relative to this file)
"""
import math
import os
import random
from datetime import datetime, timedelta, timezone

SEED = 20261014
rng = random.Random(SEED)
# A second stream for the consistency corrections of the second edition (publish order, publish rate,
# tables nobody writes): drawing from it leaves every value of the main stream, and so every figure the
# reviewer notes cite, unchanged.
fix = random.Random(SEED + 1)
# Third edition (issue 19): traffic on 14 October is that of late August (scaling-plan, busiest hour 17,500 req/s
# from 15:00) grown by about seven weeks of 60 % a year, so every request rate is K times the second edition's.
# The database's pool use and CPU keep their values (its coefficients are divided by K); queries per second grow
# with the requests. Sampled log lines keep the main stream's draws: each minute draws the second edition's count
# from `rng` and the extra lines, (K - 1) / K of the rate, from a stream of their own, so every line the reviewer
# notes cite stays as it was.
K = 1.13
MAIN = rng
MORE = random.Random(SEED + 2)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "evidence"))
T0 = datetime(2026, 10, 14, 12, 0, 0, tzinfo=timezone.utc)
MINUTES = 240


def hm(h, m, s=0.0):
    """Seconds since T0 for a wall-clock time on the incident day."""
    return (h - 12) * 3600 + m * 60 + s


def ts(sec):
    d = T0 + timedelta(seconds=sec)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)


def minute_ts(m):
    return (T0 + timedelta(minutes=m)).strftime("%Y-%m-%dT%H:%M:%SZ")


def mi(h, m):
    return (h - 12) * 60 + m


def poisson(lam):
    if lam <= 0:
        return 0
    if lam < 30:
        l, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= l:
                return k
            k += 1
    return max(0, int(round(lam + math.sqrt(lam) * rng.gauss(0, 1))))


def sampled_range(lam):
    """Iterate once per sampled line at rate lam: first the second edition's count (lam / K, drawn from MAIN, whose
    lines draw from MAIN), then the extra lines (drawn from MORE, whose lines draw from MORE, as the module's rng is
    rebound while they are made); rng is MAIN again when the loop ends (the loops using this never break)."""
    global rng
    rng = MAIN
    n1 = poisson(lam / K)
    rng = MORE
    n2 = poisson(lam - lam / K)
    rng = MAIN
    for _ in range(n1):
        yield None
    rng = MORE
    for _ in range(n2):
        yield None
    rng = MAIN


def hexid(n=8):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def suffix():
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))


# --------------------------------------------------------------------------------------------------------
# Key times (minute indices since 12:00)
# --------------------------------------------------------------------------------------------------------
M_CANARY = mi(12, 15)
DEPLOY_BATCHES = [hm(12, 25, 10), hm(12, 28, 30), hm(12, 31, 50), hm(12, 35, 10)]
ROLLBACK_BATCHES = [hm(14, 49, 20), hm(14, 51, 15), hm(14, 53, 10), hm(14, 55, 5)]
M_CERT = mi(13, 10)
M_FERRET = mi(13, 27)
M_SEARCH = mi(14, 1)
M_ORBIT = mi(14, 4)
ORBIT_SEC = hm(14, 4, 7.214)
M_BUMP = mi(14, 38)
BUMP_SEC = hm(14, 38, 12.480)
M_ROLLBACK = mi(14, 49)
M_REVERT = mi(15, 25)
REVERT_SEC = hm(15, 25, 40.117)
M_SEARCH_RB = mi(14, 24)


def dep_fraction(m):
    """Fraction of registry-api pods running v4.82.0 during minute m."""
    sec = m * 60 + 30
    if sec < hm(12, 15, 40):
        return 0.0
    f = 1 / 25
    for b in DEPLOY_BATCHES:
        if sec >= b + 28:
            f += 0.25
    for b in ROLLBACK_BATCHES:
        if sec >= b + 28:
            f -= 0.25
    if sec >= hm(12, 38, 5):
        f -= 1 / 25
    return max(0.0, min(1.0, f))


# --------------------------------------------------------------------------------------------------------
# Per-minute model
# --------------------------------------------------------------------------------------------------------
INCIDENT_ERR = {
    mi(14, 4): 0.0026, mi(14, 5): 0.0061, mi(14, 6): 0.0274, mi(14, 7): 0.0688, mi(14, 8): 0.1093,
    mi(14, 9): 0.1347, mi(14, 10): 0.1502,
    mi(14, 38): 0.1712, mi(14, 39): 0.1284, mi(14, 40): 0.1169, mi(14, 41): 0.1262, mi(14, 42): 0.1461,
    mi(14, 49): 0.1858, mi(14, 50): 0.1793, mi(14, 51): 0.1612, mi(14, 52): 0.1391, mi(14, 53): 0.1168,
    mi(14, 54): 0.0942, mi(14, 55): 0.0781, mi(14, 56): 0.0627, mi(14, 57): 0.0531, mi(14, 58): 0.0262,
    mi(14, 59): 0.0098, mi(15, 0): 0.0047, mi(15, 1): 0.0031,
}
for m in range(mi(14, 11), mi(14, 38)):  # plateau, slowly worsening as the cache empties
    INCIDENT_ERR[m] = 0.156 + (m - mi(14, 11)) * (0.027 / 26) + rng.gauss(0, 0.0045)
for m in range(mi(14, 43), mi(14, 49)):  # after the pool increase wore off: DB CPU bound
    INCIDENT_ERR[m] = 0.168 + (m - mi(14, 43)) * 0.0035 + rng.gauss(0, 0.004)

CLIENTS = 24 * 20  # registry-api client connections to pgb-1: 24 pods x up to 20 (world.yaml)
API_SHARE = 0.42  # share of edge requests that reach registry-api

SEARCH_P99 = {mi(14, 1): 420, mi(14, 2): 1180, mi(14, 3): 1390, mi(14, 4): 1020, mi(14, 5): 610,
              mi(14, 6): 262, mi(14, 25): 540, mi(14, 26): 880, mi(14, 27): 430, mi(14, 28): 196}
TLS = {mi(13, 10): 3.8, mi(13, 11): 5.7, mi(13, 12): 5.2, mi(13, 13): 4.9, mi(13, 14): 4.4, mi(13, 15): 4.6,
       mi(13, 16): 4.1, mi(13, 17): 3.9, mi(13, 18): 3.2, mi(13, 19): 2.1, mi(13, 20): 0.4}
P99_FIXED = {mi(13, 27): 880, mi(13, 28): 1240, mi(13, 29): 520, mi(14, 1): 455, mi(14, 2): 690,
             mi(14, 3): 720, mi(14, 4): 640, mi(14, 5): 1420, mi(14, 6): 3010, mi(14, 58): 3020,
             mi(14, 59): 2210, mi(15, 0): 870, mi(15, 1): 560, mi(15, 2): 430}
WAITING = {mi(14, 4): 0, mi(14, 5): 6, mi(14, 6): 148, mi(14, 7): 296, mi(14, 8): 371, mi(14, 38): 310,
           mi(14, 39): 142, mi(14, 40): 118, mi(14, 41): 176, mi(14, 42): 265, mi(14, 49): 452,
           mi(14, 50): 430, mi(14, 51): 372, mi(14, 52): 301, mi(14, 53): 226, mi(14, 54): 160,
           mi(14, 55): 103, mi(14, 56): 61, mi(14, 57): 38, mi(14, 58): 12, mi(14, 59): 2}
POOL_ROLLBACK = {mi(14, 49): 90, mi(14, 50): 90, mi(14, 51): 90, mi(14, 52): 88, mi(14, 53): 81,
                 mi(14, 54): 72, mi(14, 55): 63, mi(14, 56): 52, mi(14, 57): 44, mi(14, 58): 37,
                 mi(14, 59): 31}
QPS_ROLLBACK = {mi(14, 49): 19200, mi(14, 50): 18600, mi(14, 51): 17100, mi(14, 52): 15200,
                mi(14, 53): 13100, mi(14, 54): 11000, mi(14, 55): 9200, mi(14, 56): 7900, mi(14, 57): 6900,
                mi(14, 58): 6300, mi(14, 59): 5600}
CPU_ROLLBACK = {mi(14, 49): 96.8, mi(14, 50): 95.5, mi(14, 51): 92.0, mi(14, 52): 86.1, mi(14, 53): 78.3,
                mi(14, 54): 69.0, mi(14, 55): 60.2, mi(14, 56): 52.4, mi(14, 57): 46.1, mi(14, 58): 41.3,
                mi(14, 59): 38.2}

rows = []
for m in range(MINUTES):
    r = {"m": m}
    base = K * (11800 + 5200 * (1 - math.exp(-m / 70)))
    if m > 195:
        base *= 1 - 0.0005 * (m - 195)
    err = INCIDENT_ERR.get(m)
    if err is None:
        err = max(0.0012, 0.0022 + rng.gauss(0, 0.0003))
        if m == M_FERRET:
            err = 0.0031
        if m == M_FERRET + 1:
            err = 0.0036
    r["err"] = err
    rps = base * (1 + rng.gauss(0, 0.008)) * (1 + 0.35 * err)  # clients retry failed requests
    r["rps"] = rps
    r["api_rps"] = rps * API_SHARE * (1 + rng.gauss(0, 0.006))
    incident = mi(14, 4) <= m <= mi(15, 1)
    # cache hit ratio
    hit_base = 0.931 + rng.gauss(0, 0.0018)
    if m == M_FERRET:
        hit_base = 0.924
    if m == M_FERRET + 1:
        hit_base = 0.927
    if m == M_ORBIT:
        hit = 0.926
    elif m == M_ORBIT + 1:
        hit = 0.917
    elif m == M_ORBIT + 2:
        hit = 0.888
    elif incident:
        api_err = err / API_SHARE
        hit = min(hit_base, 1 - min(0.6, api_err / 0.94 + 0.035))
    else:
        hit = hit_base
    r["hit"] = hit
    f = dep_fraction(m)
    r["dep"] = f
    others = r["api_rps"] * 0.55 + 180
    builds = r["api_rps"] * (1 - hit_base)
    qpb = 3 + f * 21
    qps_n = others + builds * qpb
    pool_n = 6 + (others * 0.0035 + builds * qpb * 0.0023) / K + rng.gauss(0, 0.8)
    cpu_n = 14 + (others * 0.004 + builds * qpb * 0.0028) / K + rng.gauss(0, 0.7)
    pool_max = 60
    if M_BUMP <= m < M_REVERT:
        pool_max = 90
    waiting = 0 if rng.random() < 0.9 else rng.choice([1, 1, 2])
    if m == M_FERRET:
        pool_n += 11
        cpu_n += 9
        qps_n += 2300 * K
        waiting = 3
    if m == M_FERRET + 1:
        pool_n = 59
        cpu_n += 12
        qps_n += 3100 * K
        waiting = 14
    if m == M_FERRET + 2:
        pool_n += 3
    if m == M_ORBIT:
        pool_n += 9
        qps_n += 1900 * K
        cpu_n += 5
    qps, pool, cpu = qps_n, pool_n, cpu_n
    if m == M_ORBIT + 1:
        pool, qps, cpu = 59, 17050 * K, 84.2
    if mi(14, 6) <= m < M_BUMP:
        pool, qps, cpu = 60, K * (17200 + rng.gauss(0, 250)), 88 + rng.gauss(0, 1.0)
    if m == M_BUMP:
        pool, qps, cpu = 88, 18300 * K, 92.4
    if M_BUMP < m < M_ROLLBACK:
        pool, qps, cpu = 90, K * (19300 + rng.gauss(0, 250)), min(99.0, 96.5 + rng.gauss(0, 0.7))
    if m in POOL_ROLLBACK:
        pool, qps, cpu = POOL_ROLLBACK[m], QPS_ROLLBACK[m] * K, CPU_ROLLBACK[m]
    if m == mi(15, 0):
        qps += 600 * K
        pool += 4
        cpu += 3
    if m == mi(15, 1):
        qps += 250 * K
        pool += 2
        cpu += 1
    if m in WAITING:
        waiting = WAITING[m]
    elif mi(14, 9) <= m < M_BUMP:
        waiting = int(380 + (m - mi(14, 9)) * 3 + rng.gauss(0, 14))
    elif mi(14, 43) <= m < M_ROLLBACK:
        waiting = int(350 + (m - mi(14, 43)) * 18 + rng.gauss(0, 12))
    r["pool"] = int(round(min(pool, pool_max)))
    r["pool_max"] = pool_max
    # The 24 pods open at most 20 client connections each to pgb-1 (480; world.yaml, fact pgbouncer-clients),
    # and a client holding a server connection is not waiting: at most 480 - pool, less the few clients idle
    # between transactions (a fixed pattern, so the random stream and every other figure stay as they were).
    r["waiting"] = max(0, min(waiting, CLIENTS - r["pool"] - round(5 + 3 * math.sin(m * 1.7))))
    r["qps"] = qps
    r["cpu"] = cpu
    r["others"] = others
    r["qpb"] = qpb
    r["builds"] = builds
    # latency
    r["p50"] = 34 + rng.gauss(0, 1.2) + (err * 40 if incident else 0)
    if m in P99_FIXED:
        p99 = P99_FIXED[m] + rng.gauss(0, 12)
    elif mi(14, 7) <= m <= mi(14, 57):
        p99 = 3150 + rng.gauss(0, 45)
    else:
        p99 = (385 + 35 * f) + rng.gauss(0, 18)
    r["p99"] = p99
    r["tls"] = TLS.get(m, max(0.05, 0.3 + rng.gauss(0, 0.1)))
    r["search"] = SEARCH_P99.get(m, 172 + rng.gauss(0, 11))
    rows.append(r)

# --------------------------------------------------------------------------------------------------------
# CSV files
# --------------------------------------------------------------------------------------------------------
os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "edge-metrics.csv"), "w") as fh:
    fh.write("time,requests_per_s,error_rate,p50_ms,p99_ms,tls_handshake_errors_per_s\n")
    for r in rows:
        fh.write("%s,%d,%.4f,%d,%d,%.2f\n" % (minute_ts(r["m"]), round(r["rps"]), r["err"], round(r["p50"]),
                                            round(r["p99"]), r["tls"]))
with open(os.path.join(OUT, "backend-metrics.csv"), "w") as fh:
    fh.write("time,api_requests_per_s,cache_hit_ratio,db_queries_per_s,pool_in_use,pool_max,clients_waiting,"
             "primary_cpu_pct,search_p99_ms\n")
    for r in rows:
        fh.write("%s,%d,%.3f,%d,%d,%d,%d,%.1f,%d\n" % (
            minute_ts(r["m"]), round(r["api_rps"]), r["hit"], round(r["qps"]), r["pool"], r["pool_max"],
            r["waiting"], r["cpu"], round(r["search"])))

# --------------------------------------------------------------------------------------------------------
# Packages
# --------------------------------------------------------------------------------------------------------
ADJ = ["amber", "brisk", "cobalt", "dapper", "ember", "fable", "glint", "hollow", "indigo", "jolly", "kinetic",
       "lucid", "mellow", "nimble", "opal", "plucky", "quiet", "rustic", "silken", "tidy", "umber", "vivid",
       "woven", "zesty", "swift", "tiny", "mossy", "polar"]
NOUN = ["queue", "router", "parser", "glob", "mixin", "signal", "ledger", "stencil", "beacon", "socket",
        "lattice", "prism", "ferry", "quill", "kiln", "harbor", "shard", "tether", "pylon", "spindle", "vessel",
        "canvas", "tally", "relay"]
SCOPES = ["@orbit", "@kelpie", "@tandem", "@marula", "@fjord"]
packages = {}  # name -> (versions, weight)
special = {"@orbit/ui": (1912, 0), "@orbit/core": (418, 2.2), "ferret-http": (1377, 2.0),
           "lumen-date": (312, 2.6), "pallet-css": (208, 1.8), "quartz-fetch": (96, 2.4),
           "amber-queue": (77, 2.0), "brisk-router": (540, 1.9), "legacy-shim": (14, 0.05)}
names = set(special)
while len(names) < 260:
    if rng.random() < 0.18:
        n = "%s/%s" % (rng.choice(SCOPES), rng.choice(NOUN + ADJ))
    else:
        n = "%s-%s" % (rng.choice(ADJ), rng.choice(NOUN))
    names.add(n)
for i, n in enumerate(sorted(names)):
    if n in special:
        packages[n] = special[n]
    else:
        v = int(min(900, max(1, math.exp(rng.gauss(3.0, 0.95)))))
        w = 1.0 / (1 + rng.random() * 40) ** 1.1
        packages[n] = (v, w)
tot = sum(w for _, (_, w) in packages.items())
# @orbit/ui: 3 % of registry-api traffic
packages["@orbit/ui"] = (1912, tot * 0.031 / 0.969)
PKG_NAMES = sorted(packages)
PKG_W = [packages[n][1] for n in PKG_NAMES]
PKG_W_MISS = [math.sqrt(w) for w in PKG_W]  # misses skew towards the long tail
ORBIT = "@orbit/ui"


def pick_pkg(miss=False):
    return rng.choices(PKG_NAMES, weights=PKG_W_MISS if miss else PKG_W)[0]


def latest(name):
    v = packages[name][0]
    if name == ORBIT:
        return "5.0.0"
    major = 1 + v // 40
    return "%d.%d.%d" % (major, (v // 7) % 12, v % 9)


def previous(version):
    major, minor, patch = (int(x) for x in version.split("."))
    if patch > 0:
        return "%d.%d.%d" % (major, minor, patch - 1)
    if minor > 0:
        return "%d.%d.%d" % (major, minor - 1, 4)
    return "%d.%d.%d" % (major - 1, 19, 2)


# Publishes of hot packages in the window (the "hot key invalidated" lines; all kept). A package published
# twice gets two versions; before its first publish the previous version is the newest one served.
HOT = [(hm(12, 14, 31.5), "lumen-date", 41), (hm(12, 51, 12.2), "pallet-css", 33),
       (hm(13, 27, 5.8), "ferret-http", 64), (hm(13, 52, 40.3), "quartz-fetch", 38),
       (hm(14, 4, 7.214), ORBIT, 151), (hm(14, 33, 18.0), "amber-queue", 29), (hm(15, 18, 2.7), "lumen-date", 44),
       (hm(15, 41, 55.1), "brisk-router", 36)]
PUBLISHES = {}  # name -> [(sec, version, versions after the publish)]
for _sec, _name, _ in HOT:
    PUBLISHES.setdefault(_name, []).append(_sec)
for _name, secs in list(PUBLISHES.items()):
    v, n = latest(_name), packages[_name][0]
    out = []
    for sec in reversed(secs):
        out.append((sec, v, n))
        v, n = previous(v), n - 1
    PUBLISHES[_name] = list(reversed(out))


def version_at(name, sec):
    """Newest version of a package at a time: nothing is served before it is published."""
    pubs = PUBLISHES.get(name)
    if not pubs:
        return latest(name)
    v = previous(pubs[0][1])
    for s, ver, _ in pubs:
        if s <= sec:
            v = ver
    return v


def versions_at(name, sec):
    pubs = PUBLISHES.get(name)
    if not pubs:
        return packages[name][0]
    n = pubs[0][2] - 1
    for s, _, cnt in pubs:
        if s <= sec:
            n = cnt
    return n


# --------------------------------------------------------------------------------------------------------
# registry-api pods
# --------------------------------------------------------------------------------------------------------
class Pod:
    def __init__(self, name, rev, ready, gone):
        self.name, self.rev, self.ready, self.gone = name, rev, ready, gone


OLD_RS, NEW_RS = "6b7d4c9f5", "7f9c8d6b4"
pods = []
old = [Pod("registry-api-%s-%s" % (OLD_RS, suffix()), "4.81.2", -1e9, None) for _ in range(24)]
canary = Pod("registry-api-canary-%s-%s" % (NEW_RS, suffix()), "4.82.0", hm(12, 15, 40), hm(12, 38, 19))
new = [Pod("registry-api-%s-%s" % (NEW_RS, suffix()), "4.82.0", None, None) for _ in range(24)]
back = [Pod("registry-api-%s-%s" % (OLD_RS, suffix()), "4.81.2", None, None) for _ in range(24)]
api_lines = []  # (sec, text)


def api(sec, level, pod, text):
    api_lines.append((sec, "%s %s registry-api pod=%s rev=%s %s" % (ts(sec), level, pod.name, pod.rev, text)))


def start_pod(pod, sec, ready_after):
    api(sec, "INFO", pod, 'msg="starting" node=v22.9.0 pid=1')
    api(sec + 0.41, "WARN", pod, 'msg="config key CACHE_TTL_SECONDS is deprecated, use cache.ttlSeconds"')
    api(sec + 1.8, "INFO", pod, 'msg="redis cluster connected" nodes=6')
    api(sec + 2.2, "INFO", pod, 'msg="db pool ready" host=pgb-1:6432 pool=registry max_clients=20')
    api(sec + ready_after, "INFO", pod, 'msg="ready" port=8080')
    pod.ready = sec + ready_after


def stop_pod(pod, sec):
    api(sec, "INFO", pod, 'msg="SIGTERM received, draining" in_flight=%d' % rng.randint(2, 14))
    api(sec + rng.uniform(9, 14), "INFO", pod, 'msg="shutdown complete"')
    pod.gone = sec + 14


start_pod(canary, hm(12, 15, 12.3), 28.1)
for k, b in enumerate(DEPLOY_BATCHES):
    for j in range(6):
        p = new[k * 6 + j]
        s = b + j * 0.9 + rng.uniform(0, 0.5)
        start_pod(p, s, rng.uniform(24, 29))
        stop_pod(old[k * 6 + j], s + 31 + rng.uniform(0, 1))
stop_pod(canary, hm(12, 38, 5.2))
for k, b in enumerate(ROLLBACK_BATCHES):
    for j in range(6):
        p = back[k * 6 + j]
        s = b + j * 0.9 + rng.uniform(0, 0.5)
        start_pod(p, s, rng.uniform(38, 52))  # slower start under load
        stop_pod(new[k * 6 + j], s + 55 + rng.uniform(0, 1))
ALL_PODS = old + [canary] + new + back


def pods_at(sec):
    return [p for p in ALL_PODS if p.ready is not None and p.ready <= sec and (p.gone is None or sec < p.gone)]


# cache status of @orbit/ui: missing from the publish until a pod on the rolled-back code refills it
ORBIT_MISS_FROM, ORBIT_MISS_TO = ORBIT_SEC, hm(14, 50, 41.3)
HOT_PKGS = set(special) - {"legacy-shim"}
LONG_TAIL = [n for n in PKG_NAMES if n not in HOT_PKGS]
LONG_TAIL_W = [math.sqrt(packages[n][1]) for n in LONG_TAIL]


def pick_tail():
    return rng.choices(LONG_TAIL, weights=LONG_TAIL_W)[0]


def query_latency_ms(r):
    if mi(14, 5) <= r["m"] <= mi(14, 58):
        return 1.5 + rng.random() * 1.2
    util = r["pool"] / r["pool_max"]
    return 0.42 + 0.38 * util * util + rng.random() * 0.08


def build(sec, pod, name, ms, repeats=None):
    versions = versions_at(name, sec)
    q = 3 if pod.rev == "4.81.2" else versions + 2
    extra = "" if repeats is None else " repeats_last_60s=%d" % repeats
    if ms >= 1000:
        api(sec, "WARN", pod, 'msg="slow packument build" pkg=%s versions=%d db_queries=%d ms=%d%s' % (
            name, versions, q, ms, extra))
    else:
        api(sec, "INFO", pod, 'msg="packument built" pkg=%s versions=%d db_queries=%d ms=%d' % (
            name, versions, q, ms))


def normal_build_ms(r, pod, name):
    q = 3 if pod.rev == "4.81.2" else packages[name][0] + 2
    return int(2 + q * query_latency_ms(r) + rng.expovariate(1 / 3))


def in_incident_sec(sec):
    return hm(14, 4, 8) <= sec <= hm(14, 59, 0)


def orbit_abandon(sec, pod, rid, path):
    """An @orbit/ui request on v4.82.0 during the incident: the build misses its 3 s deadline."""
    el = sec - ORBIT_SEC
    done = int(max(60, 1650 - el * 9 + rng.gauss(0, 40))) if el < 150 else rng.randint(70, 420)
    api(sec, "ERROR", pod, 'req=%s GET %s 503 ms=%d cache=miss err="packument build abandoned at 3000ms deadline, '
                           'not cached" db_queries_done=%d/1914' % (rid, path, rng.randint(3001, 3009), done))


# request lines: 1 in 20,000 requests
api_failed_sampled = 0
for r in rows:
    m = r["m"]
    api_err = r["err"] / API_SHARE
    for _ in sampled_range(r["api_rps"] * 60 / 20000):
        sec = m * 60 + rng.uniform(0, 60)
        pod = rng.choice(pods_at(sec))
        name = pick_pkg()
        rid = hexid()
        path = "/" + name
        if rng.random() < 0.025:
            path = "/-/package/%s/dist-tags" % name
        orbit_missing = name == ORBIT and ORBIT_MISS_FROM <= sec <= ORBIT_MISS_TO
        if name == "legacy-shim" and rng.random() < 0.5:
            api(sec, "ERROR", pod, 'req=%s GET %s 500 ms=%d cache=hit err="TypeError: Cannot read properties of '
                                   'undefined (reading \'time\')"' % (rid, path, rng.randint(3, 9)))
            continue
        if orbit_missing:
            if pod.rev == "4.82.0":
                api_failed_sampled += 1
                orbit_abandon(sec, pod, rid, path)
            else:
                api(sec, "INFO", pod, "req=%s GET %s 200 ms=%d cache=miss" % (rid, path, rng.randint(300, 2400)))
            continue
        hit = name in HOT_PKGS and not in_incident_sec(sec) or rng.random() < r["hit"]
        if hit:
            api(sec, "INFO", pod, "req=%s GET %s 200 ms=%d cache=hit" % (
                rid, path, int(rng.lognormvariate(1.6, 0.5)) + 1))
            continue
        p_fail = 0.0
        if in_incident_sec(sec):
            p_fail = min(0.97, api_err / max(0.05, 1 - r["hit"]))
        if rng.random() < p_fail:
            api_failed_sampled += 1
            if sec >= BUMP_SEC + 60 and rng.random() < 0.16:
                api(sec, "ERROR", pod, 'req=%s GET %s 503 ms=%d cache=miss err="canceling statement due to '
                                       'statement timeout"' % (rid, path, rng.randint(2010, 2950)))
            else:
                api(sec, "ERROR", pod, 'req=%s GET %s 503 ms=%d cache=miss err="query_wait_timeout: no server '
                                       'connection from pgbouncer pool registry within 3000ms"' % (
                                           rid, path, rng.randint(3001, 3012)))
            continue
        if in_incident_sec(sec):
            ms = rng.uniform(150, 2900)
        else:
            q = 3 if pod.rev == "4.81.2" else packages[name][0] + 2
            ms = 4 + q * query_latency_ms(r) + rng.expovariate(1 / 4)
        api(sec, "INFO", pod, "req=%s GET %s 200 ms=%d cache=miss" % (rid, path, int(ms)))

# forced @orbit/ui failures right after the publish (these are request lines that happened to be sampled)
for s in (hm(14, 4, 10.9), hm(14, 4, 26.4), hm(14, 4, 51.2), hm(14, 5, 33.7)):
    orbit_abandon(s, rng.choice([p for p in pods_at(s) if p.rev == "4.82.0"]), hexid(), "/" + ORBIT)

# "packument built" (INFO) lines: 1 in 2,000 builds of long-tail packages
for r in rows:
    m = r["m"]
    incident = mi(14, 5) <= m <= mi(14, 57)
    if incident:
        rate = K * (80 + rng.gauss(0, 8))  # builds/s that still complete while the pool is exhausted
        if m >= M_ROLLBACK:
            rate = K * (80 + (m - M_ROLLBACK) * 120)
    elif m in (mi(14, 58), mi(14, 59), mi(15, 0)):
        rate = K * {mi(14, 58): 1500, mi(14, 59): 1100, mi(15, 0): 700}[m]
    else:
        rate = r["api_rps"] * (1 - r["hit"])
    for _ in sampled_range(rate * 60 / 2000):
        sec = m * 60 + rng.uniform(0, 60)
        pod = rng.choice(pods_at(sec))
        name = pick_tail()
        if incident and pod.rev == "4.82.0":
            ms = int((packages[name][0] + 2) * (1.5 + rng.random() * 1.1) + rng.uniform(10, 400))
        else:
            ms = normal_build_ms(r, pod, name)
        if ms < 1000:
            build(sec, pod, name, ms)
    # slow builds are all logged (at most one line per package per minute); during the incident some
    # long-tail packages with many versions still complete, slowly
    if incident:
        big = [n for n in LONG_TAIL if packages[n][0] >= 300] + ["brisk-router", "@orbit/core", "lumen-date"]
        for name in rng.sample(big, min(len(big), poisson(2.2))):
            sec = m * 60 + rng.uniform(0, 60)
            pods_new = [p for p in pods_at(sec) if p.rev == "4.82.0"]
            if not pods_new:
                continue
            reps = rng.randint(8, 45) if name in HOT_PKGS else rng.randint(0, 4)
            build(sec, rng.choice(pods_new), name, rng.randint(1050, 2950), repeats=reps)

# background refreshes of hot keys (stale-while-revalidate: one build per key about every 4 minutes)
for name, every in (("@orbit/ui", 240), ("ferret-http", 240), ("@orbit/core", 240), ("brisk-router", 240)):
    sec = rng.uniform(0, every)
    while sec < MINUTES * 60:
        if not (hm(14, 4, 0) <= sec <= hm(15, 1, 0)):
            pod = rng.choice(pods_at(sec))
            ms = normal_build_ms(rows[int(sec // 60)], pod, name)
            if ms >= 1000:
                build(sec, pod, name, ms)
        sec += every + rng.uniform(-6, 6)

# forced lines: the near miss at 13:27 (ferret-http herd completes and is cached)
for sec, ms, rep in ((hm(13, 27, 6.9), 1083, 37), (hm(13, 27, 48.3), 1261, 52), (hm(13, 28, 22.6), 1190, 18)):
    build(sec, rng.choice(pods_at(sec)), "ferret-http", ms, repeats=rep)
# after the rollback: the first v4.81.2 pod rebuilds @orbit/ui with 3 queries and it is cached again
for sec in (hm(14, 50, 41.3),):
    build(sec, rng.choice([p for p in pods_at(sec) if p.rev == "4.81.2"]), ORBIT, 388)

# hot-key invalidations (all kept): one per publish of a hot package
for sec, name, rps in HOT:
    pod = rng.choice(pods_at(sec))
    api(sec, "INFO", pod, 'msg="hot key invalidated" pkg=%s reason=publish version=%s versions=%d read_rps=%d' % (
        name, version_at(name, sec), versions_at(name, sec), rps))

# noise
sec = 40.0
while sec < MINUTES * 60:
    sec += rng.expovariate(1 / 230)
    if sec >= MINUTES * 60:
        break
    pod = rng.choice(pods_at(sec))
    api(sec, "WARN", pod, 'msg="event loop lag" lag_ms=%d' % rng.randint(52, 140))
sec = 100.0
while sec < MINUTES * 60:
    sec += rng.expovariate(1 / 380)
    if sec >= MINUTES * 60:
        break
    pod = rng.choice(pods_at(sec))
    api(sec, "WARN", pod, 'msg="redis MOVED redirect, refreshing slot map" slot=%d' % rng.randint(0, 16383))
sec = 300.0
while sec < MINUTES * 60:
    sec += rng.expovariate(1 / 560)
    if sec >= MINUTES * 60:
        break
    pod = rng.choice(pods_at(sec))
    api(sec, "WARN", pod, 'msg="auth-svc token check slow" ms=%d' % rng.randint(260, 620))
sec = 200.0
while sec < MINUTES * 60:
    sec += rng.expovariate(1 / 1000)
    if sec >= MINUTES * 60:
        break
    pod = rng.choice(pods_at(sec))
    api(sec, "ERROR", pod, 'req=%s GET /legacy-shim 500 ms=%d cache=hit err="TypeError: Cannot read properties of '
                           'undefined (reading \'time\')"' % (hexid(), rng.randint(3, 9)))

api_lines.sort(key=lambda x: x[0])
with open(os.path.join(OUT, "registry-api.log"), "w") as fh:
    for _, line in api_lines:
        fh.write(line + "\n")

# --------------------------------------------------------------------------------------------------------
# edge log: 1 in 40,000 requests; TLS handshake failures 1 in 100; certificate events all
# --------------------------------------------------------------------------------------------------------
POPS = ["fra2", "iad1", "sjc1", "sin1", "gru1", "lhr3"]
POP_W = [0.2, 0.27, 0.22, 0.12, 0.07, 0.12]
edge_lines = []


def edge(sec, level, pop, text):
    edge_lines.append((sec, "%s %s edge pop=%s %s" % (ts(sec), level, pop, text)))


def tarball_path(name, sec):
    base = name.split("/")[-1]
    return "/%s/-/%s-%s.tgz" % (name, base, version_at(name, sec))


# The request mix below draws publishes (PUT) at about 0.5 % of edge requests, ~75/s; Packyard takes about
# 0.75 publishes/s (publish-svc: ~2,300 attempted in 52 minutes), so only 1 in 100 of those draws is kept
# as a publish and the rest become ordinary requests. At 1 in 40,000 sampling that leaves ~0-2 PUT lines.
PUBLISH_KEEP = 0.01


def pick_tail_fix():
    return fix.choices(LONG_TAIL, weights=LONG_TAIL_W)[0]


SEARCH_WORDS = ["date", "router", "css", "http client", "glob", "queue", "orbit", "test runner", "lint",
                "markdown", "uuid", "color", "zip", "retry", "yaml"]
edge_failed_sampled = 0
edge_total_sampled = 0
for r in rows:
    m = r["m"]
    incident = mi(14, 5) <= m <= mi(14, 59)
    for _ in sampled_range(r["rps"] * 60 / 40000):
        sec = m * 60 + rng.uniform(0, 60)
        pop = rng.choices(POPS, weights=POP_W)[0]
        rid = hexid()
        edge_total_sampled += 1
        if rng.random() < r["err"]:
            edge_failed_sampled += 1
            if incident:
                u = rng.random()
                if u < 0.96:
                    name = ORBIT if rng.random() < 0.08 else pick_pkg(miss=True)
                    path = "/" + name if rng.random() < 0.98 else "/-/package/%s/dist-tags" % name
                    ums = rng.randint(3001, 3015) if rng.random() < 0.85 else rng.randint(2010, 2960)
                    edge(sec, "ERROR", pop, "id=%s GET %s 503 cache=MISS up=registry-api up_status=503 up_ms=%d "
                                            "ms=%d bytes=118" % (rid, path, ums, ums + rng.randint(2, 40)))
                elif u < 0.975:
                    name = pick_pkg()
                    ums = rng.randint(5000, 5020)
                    if fix.random() < PUBLISH_KEEP:
                        edge(sec, "ERROR", pop, "id=%s PUT /%s 504 cache=PASS up=publish-svc up_status=- up_ms=%d "
                                                "ms=%d bytes=96" % (rid, name, ums, ums + 3))
                    else:  # a failed package document request instead (publishes are rare, see PUBLISH_KEEP)
                        ums = fix.randint(3001, 3015)
                        edge(sec, "ERROR", pop, "id=%s GET /%s 503 cache=MISS up=registry-api up_status=503 "
                                                "up_ms=%d ms=%d bytes=118" % (rid, pick_tail_fix(), ums,
                                                                              ums + fix.randint(2, 40)))
                else:
                    name = pick_pkg()
                    edge(sec, "ERROR", pop, "id=%s GET %s 502 cache=MISS up=tarball-store up_status=502 up_ms=%d "
                                            "ms=%d bytes=104" % (rid, tarball_path(name, sec), rng.randint(20, 90),
                                                                 rng.randint(95, 160)))
            else:
                u = rng.random()
                name = pick_pkg()
                if u < 0.45:
                    st = rng.choice([502, 503, 504])
                    ums = rng.randint(8, 900) if st != 504 else 10000
                    edge(sec, "ERROR", pop, "id=%s GET /%s %d cache=MISS up=registry-api up_status=%s up_ms=%d "
                                            "ms=%d bytes=118" % (rid, name, st, st if st != 504 else "-", ums,
                                                                 ums + rng.randint(2, 30)))
                elif u < 0.75:
                    edge(sec, "ERROR", pop, "id=%s GET %s 502 cache=MISS up=tarball-store up_status=502 up_ms=%d "
                                            "ms=%d bytes=104" % (rid, tarball_path(name, sec), rng.randint(20, 90),
                                                                 rng.randint(95, 160)))
                elif u < 0.88:
                    edge(sec, "ERROR", pop, "id=%s GET /-/v1/search?text=%s&size=20 503 cache=PASS up=search-svc "
                                            "up_status=503 up_ms=%d ms=%d bytes=140" % (
                                                rid, rng.choice(SEARCH_WORDS).replace(" ", "+"), rng.randint(5, 60),
                                                rng.randint(70, 120)))
                else:
                    edge(sec, "ERROR", pop, "id=%s GET /-/whoami 502 cache=PASS up=auth-svc up_status=502 up_ms=%d "
                                            "ms=%d bytes=96" % (rid, rng.randint(5, 200), rng.randint(210, 260)))
            continue
        # mix of successful requests: failed requests are almost all package documents, so among the
        # requests that succeed during the incident, package documents are rarer (total share stays ~44 %)
        p_pack = 0.44 if r["err"] < 0.01 else max(0.05, (0.44 - 0.96 * r["err"]) / (1 - r["err"]))
        cut = [0.52, 0.52 + p_pack, 0.54 + p_pack, 0.555 + p_pack]
        u = rng.random() * (0.56 + p_pack)
        if u < cut[0]:
            name = pick_pkg()
            if rng.random() < 0.965:
                ms = rng.randint(2, 28)
                edge(sec, "INFO", pop, "id=%s GET %s 200 cache=HIT up=- up_ms=- ms=%d bytes=%d" % (
                    rid, tarball_path(name, sec), ms, rng.randint(4000, 900000)))
            else:
                ums = rng.randint(18, 160)
                edge(sec, "INFO", pop, "id=%s GET %s 200 cache=MISS up=tarball-store up_status=200 up_ms=%d ms=%d "
                                       "bytes=%d" % (rid, tarball_path(name, sec), ums, ums + rng.randint(4, 40),
                                                     rng.randint(4000, 900000)))
        elif u < cut[1]:
            name = pick_pkg()
            while name == ORBIT and ORBIT_MISS_FROM <= sec <= ORBIT_MISS_TO:  # every @orbit/ui request failed
                name = pick_pkg()
            path = "/" + name if rng.random() < 0.975 else "/-/package/%s/dist-tags" % name
            if rng.random() < 0.06:
                edge(sec, "INFO", pop, "id=%s GET %s 200 cache=HIT up=- up_ms=- ms=%d bytes=%d" % (
                    rid, path, rng.randint(2, 20), rng.randint(900, 600000)))
            else:
                if incident:
                    ums = int(rng.lognormvariate(2.6, 0.6)) + 3 if rng.random() < 0.9 else rng.randint(300, 2900)
                elif mi(13, 27) <= m <= mi(13, 28) and rng.random() < 0.1:
                    ums = rng.randint(400, 1300)
                else:
                    ums = int(rng.lognormvariate(2.5, 0.55)) + 3
                size = 180000 if name == ORBIT else rng.randint(900, 300000)
                edge(sec, "INFO", pop, "id=%s GET %s 200 cache=MISS up=registry-api up_status=200 up_ms=%d ms=%d "
                                       "bytes=%d" % (rid, path, ums, ums + rng.randint(3, 45), size))
        elif u < cut[2]:
            q = rng.choice(SEARCH_WORDS).replace(" ", "+")
            if M_SEARCH <= m <= M_SEARCH + 4 or mi(14, 25) <= m <= mi(14, 26):
                ums = rng.randint(300, 1500)
            else:
                ums = int(rng.lognormvariate(4.3, 0.45))
            edge(sec, "INFO", pop, "id=%s GET /-/v1/search?text=%s&size=20 200 cache=PASS up=search-svc "
                                   "up_status=200 up_ms=%d ms=%d bytes=%d" % (
                                       rid, q, ums, ums + rng.randint(3, 30), rng.randint(3000, 24000)))
        elif u < cut[3]:
            ums = rng.randint(6, 60)
            edge(sec, "INFO", pop, "id=%s GET /-/whoami 200 cache=PASS up=auth-svc up_status=200 up_ms=%d ms=%d "
                                   "bytes=64" % (rid, ums, ums + rng.randint(3, 30)))
        else:
            name = pick_pkg()
            ums = rng.randint(400, 2600)
            jitter = rng.randint(5, 60)
            if fix.random() < PUBLISH_KEEP:
                if name in HOT_PKGS:  # every publish of a hot package has its (all kept) hot-key line
                    name = pick_tail_fix()
                edge(sec, "INFO", pop, "id=%s PUT /%s 200 cache=PASS up=publish-svc up_status=200 up_ms=%d ms=%d "
                                       "bytes=210" % (rid, name, ums, ums + jitter))
            else:  # a tarball served from the edge cache instead
                name = pick_tail_fix()
                edge(sec, "INFO", pop, "id=%s GET %s 200 cache=HIT up=- up_ms=- ms=%d bytes=%d" % (
                    rid, tarball_path(name, sec), fix.randint(2, 28), fix.randint(4000, 900000)))

# certificate rotation and OCSP
OLD_SERIAL = "3a:91:0c:7e:55:d2:18:f4"
NEW_SERIAL = "5e:07:b3:c9:21:4a:e6:a1"
for i, pop in enumerate(POPS):
    s = hm(13, 10, 2.0 + i * 2.7 + rng.uniform(0, 1))
    edge(s, "INFO", pop, "cert: installed certificate for registry.packyard.example serial=%s not_after=2027-01-12T23:59:59Z "
                         "(replaces serial=%s)" % (NEW_SERIAL, OLD_SERIAL))
    t = s + 0.4
    while t < hm(13, 19, 0):
        edge(t, "WARN", pop, "ocsp: staple fetch failed for serial=%s: responder timeout after 5000ms; "
                             "serving without staple, retry in 60s" % NEW_SERIAL)
        t += 60 + rng.uniform(0, 1.5)
    edge(t, "INFO", pop, "ocsp: staple refreshed for serial=%s next_update=2026-10-21T13:00:00Z" % NEW_SERIAL)
TLS_REASONS = ["no shared cipher", "unsupported protocol version", "client closed during handshake",
               "unknown SNI registry.packyard.example.local"]
for r in rows:
    m = r["m"]
    n = poisson(r["tls"] * 60 / 100)
    for _ in range(n):
        sec = m * 60 + rng.uniform(0, 60)
        pop = rng.choices(POPS, weights=POP_W)[0]
        reason = rng.choice(TLS_REASONS)
        if r["tls"] > 1.0 and rng.random() < 0.85:
            reason = "client requires stapled OCSP response (must-staple), none sent"
        ip = "%s.%d" % (rng.choice(["198.51.100", "203.0.113", "192.0.2"]), rng.randint(2, 254))
        edge(sec, "WARN", pop, "tls: handshake failed client=%s reason=\"%s\"" % (ip, reason))

edge_lines.sort(key=lambda x: x[0])
with open(os.path.join(OUT, "edge.log"), "w") as fh:
    for _, line in edge_lines:
        fh.write(line + "\n")

# --------------------------------------------------------------------------------------------------------
# pgbouncer log
# --------------------------------------------------------------------------------------------------------
pgb_lines = []


def pgb(sec, level, text):
    pgb_lines.append((sec, "%s %s pgbouncer host=pgb-1 %s" % (ts(sec), level, text)))


def cid():
    return "0x%012x" % rng.getrandbits(44)


for r in rows:
    m = r["m"]
    sec = m * 60 + 59.95 + rng.uniform(0, 0.02)  # averages over the minute that ends here
    qps = r["qps"]
    if mi(14, 6) <= m <= mi(14, 58):
        xacts = qps / 5.6
        xact_us = int(26000 + rng.gauss(0, 2500)) if m < M_BUMP else int(34000 + rng.gauss(0, 2500))
        wait_us = int(2_450_000 + rng.gauss(0, 120000)) if r["waiting"] > 100 else int(r["waiting"] * 4800)
    else:
        xacts = r["others"] + r["api_rps"] * (1 - r["hit"])
        xact_us = int(2600 + 5200 * (r["qpb"] - 3) / 21 * (1 + (r["pool"] / 60) ** 2) + rng.gauss(0, 150))
        wait_us = int(rng.uniform(2, 9) + r["waiting"] * 900)
        if m == mi(14, 5):
            wait_us = 180000
    util = r["pool"] / r["pool_max"]
    query_us = int(640 + 280 * (1 - r["dep"]) + 320 * util * util + rng.gauss(0, 25)) \
        if m < mi(14, 6) or m > mi(14, 58) else int(1900 + rng.gauss(0, 200))
    pgb(sec, "INFO", "stats for pool registry/registry_api: %d xacts/s, %d queries/s, in %d kB/s, out %d kB/s, xact %d us, query %d us, wait %d us" % (
        xacts, qps, qps * 0.21, qps * 1.9, xact_us, query_us, wait_us))
    cl_active = min(CLIENTS - r["waiting"], int(r["api_rps"] * 0.045 + r["pool"] * 2))  # active + waiting <= 480
    maxwait = 0 if r["waiting"] == 0 else (3 if r["waiting"] > 100 else 1 if r["waiting"] > 10 else 0)
    pgb(sec + 0.001, "INFO", "pool registry/registry_api: cl_active=%d cl_waiting=%d sv_active=%d sv_idle=%d "
                             "pool_size=%d maxwait=%ds" % (cl_active, r["waiting"], r["pool"],
                                                         max(0, r["pool_max"] - r["pool"]), r["pool_max"], maxwait))
    if mi(14, 6) <= m <= mi(14, 57):
        pa, pw = rng.randint(17, 20), rng.randint(9, 34)
    else:
        pa, pw = rng.randint(2, 6), 0
    pgb(sec + 0.002, "INFO", "pool registry/publish_svc: cl_active=%d cl_waiting=%d sv_active=%d sv_idle=%d "
                             "pool_size=20 maxwait=%ds" % (pa + rng.randint(4, 12), pw, pa, 20 - pa, 1 if pw else 0))
    if mi(14, 6) <= m <= mi(14, 57):
        pgb(m * 60 + rng.uniform(20, 58), "WARN",
            "C-%s: registry/publish_svc@10.40.%d.%d:%d closing because: query_wait_timeout (age=3s) "
            "[repeated %d times in last 60s]" % (cid(), rng.randint(2, 9), rng.randint(2, 250),
                                                   rng.randint(32768, 60999), rng.randint(12, 26)))
    # query_wait_timeout summaries every 10 s while clients time out
    if mi(14, 6) <= m <= mi(14, 58):
        api_fail_per_s = r["api_rps"] * r["err"] / API_SHARE
        share = 0.84 if m > M_BUMP else 1.0
        for k in range(6):
            n = int(api_fail_per_s * 10 * share * (1 + rng.gauss(0, 0.03)))
            if n > 0:
                pgb(m * 60 + k * 10 + 9.9 + rng.uniform(0, 0.09), "WARN",
                    "C-%s: registry/registry_api@10.40.%d.%d:%d closing because: query_wait_timeout (age=3s) "
                    "[repeated %d times in last 10s]" % (cid(), rng.randint(2, 9), rng.randint(2, 250),
                                                           rng.randint(32768, 60999), n))
# connection churn noise
APPS = [("publish_svc", 12), ("feed_reader", 6), ("auth_svc", 9), ("registry_api", 20)]
sec = 5.0
while sec < MINUTES * 60:
    sec += rng.expovariate(1 / 24)
    if sec >= MINUTES * 60:
        break
    user = rng.choices([a for a, _ in APPS], weights=[w for _, w in APPS])[0]
    addr = "10.40.%d.%d:%d" % (rng.randint(2, 9), rng.randint(2, 250), rng.randint(32768, 60999))
    if rng.random() < 0.5:
        pgb(sec, "INFO", "C-%s: registry/%s@%s login attempt: db=registry user=%s tls=yes" % (cid(), user, addr, user))
    else:
        pgb(sec, "INFO", "C-%s: registry/%s@%s closing because: client close request (age=%ds)" % (
            cid(), user, addr, rng.randint(40, 7200)))
sec = 120.0
while sec < MINUTES * 60:
    sec += rng.uniform(560, 680)
    if sec >= MINUTES * 60:
        break
    pgb(sec, "WARN", "C-%s: registry/report_ro@10.40.11.%d:%d closing because: client_idle_timeout (age=600s)" % (
        cid(), rng.randint(2, 40), rng.randint(32768, 60999)))
# new registry-api pods open connections
for p in new + back + [canary]:
    if p.ready is None:
        continue
    for k in range(3):
        addr = "10.40.%d.%d:%d" % (rng.randint(2, 9), rng.randint(2, 250), rng.randint(32768, 60999))
        pgb(p.ready - 25 + 2.3 + k * 0.05, "INFO", "C-%s: registry/registry_api@%s login attempt: db=registry "
                                                    "user=registry_api tls=yes" % (cid(), addr))
pgb(BUMP_SEC, "INFO", "RELOAD command issued")
pgb(BUMP_SEC + 0.012, "INFO", "config: pool registry/registry_api default_pool_size changed 60 -> 90")
pgb(BUMP_SEC + 0.4, "INFO", "S-%s: registry/registry_api@10.40.0.21:5432 opening 30 new server connections" % cid())
pgb(REVERT_SEC, "INFO", "RELOAD command issued")
pgb(REVERT_SEC + 0.011, "INFO", "config: pool registry/registry_api default_pool_size changed 90 -> 60")
pgb(REVERT_SEC + 0.3, "INFO", "S-%s: registry/registry_api@10.40.0.21:5432 closing 30 idle server connections "
                              "(pool_size reduced)" % cid())
pgb_lines.sort(key=lambda x: x[0])
with open(os.path.join(OUT, "pgbouncer.log"), "w") as fh:
    for _, line in pgb_lines:
        fh.write(line + "\n")

# --------------------------------------------------------------------------------------------------------
# metadata-db (PostgreSQL primary) log
# --------------------------------------------------------------------------------------------------------
db_lines = []


def db(sec, level, pid, user, text):
    db_lines.append((sec, "%s %s metadata-db host=mdb-primary pid=%d user=%s %s" % (ts(sec), level, pid, user, text)))


CKPT_PID = 1187
for m in range(0, MINUTES, 5):
    s = m * 60 + rng.uniform(0.01, 0.3)
    db(s, "INFO", CKPT_PID, "-", "checkpoint starting: time")
    bufs = rng.randint(14000, 26000)
    if mi(14, 5) <= m <= mi(14, 55):
        bufs = rng.randint(21000, 31000)
    db(s + 269.8 + rng.uniform(0, 0.6), "INFO", CKPT_PID, "-",
       "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, %d recycled; write=269.6 s, "
       "sync=%.3f s, total=%.3f s" % (bufs, bufs / 8192 * 1.0, rng.randint(8, 16), rng.uniform(0.05, 0.4),
                                      270 + rng.uniform(0, 0.6)))
TABLES = [("download_counts", 9120331), ("versions", 48211904), ("dist_tags", 3210877),
          ("package_access_tokens", 811204), ("packages", 3402118), ("version_deprecations", 61230)]
sec = 200.0
while sec < MINUTES * 60:
    sec += rng.uniform(330, 560)
    if sec >= MINUTES * 60:
        break
    t, rowsn = rng.choice(TABLES)
    if t == "version_deprecations":  # nothing writes it (backfilled on 12 Oct), so autovacuum has nothing to do
        t, rowsn = fix.choice(TABLES[:-1])
    db(sec, "INFO", rng.randint(60000, 69999), "-",
       'automatic vacuum of table "registry.public.%s": index scans: 1, tuples: %d removed, %d remain, elapsed: %.2f s'
       % (t, rng.randint(800, 40000), rowsn, rng.uniform(0.4, 9.0)))
REPORT_SQL = ("SELECT package_id, sum(count) FROM download_counts WHERE day >= $1 GROUP BY package_id "
              "ORDER BY 2 DESC LIMIT 500")
for m in range(7, MINUTES, 15):
    s = m * 60 + rng.uniform(0, 50)
    pid = rng.randint(70000, 79999)
    db(s, "INFO", pid, "report_ro", "duration: %.3f ms  execute <unnamed>: %s" % (rng.uniform(1900, 2900), REPORT_SQL))
for m in range(3, MINUTES, 11):
    s = m * 60 + rng.uniform(0, 59)
    db(s, "WARN", rng.randint(70000, 79999), "report_ro", "WARNING:  there is no transaction in progress")
LOOKUP = "SELECT message FROM version_deprecations WHERE package_id = $1 AND version = $2"
PUBLISH_SQL = "INSERT INTO versions (package_id, version, manifest, published_at) VALUES ($1, $2, $3, now())"
for r in rows:
    m = r["m"]
    if mi(14, 6) <= m <= mi(14, 57):
        hot = m >= M_BUMP
        if m >= mi(14, 51):
            scale = max(0.0, (mi(14, 58) - m) / 7)
        else:
            scale = 1.0
        n_slow = poisson((13 if hot else 5) * scale)
        for _ in range(n_slow):
            db(m * 60 + rng.uniform(0, 60), "INFO", rng.randint(80000, 99999), "registry_api",
               "duration: %.3f ms  execute <unnamed>: %s" % (rng.uniform(501, 1400 if hot else 900), LOOKUP))
        n_to = poisson((7 if hot else 0.4) * scale)
        for _ in range(n_to):
            s = m * 60 + rng.uniform(0, 60)
            pid = rng.randint(80000, 99999)
            db(s, "ERROR", pid, "registry_api", "ERROR:  canceling statement due to statement timeout")
            db(s + 0.0004, "ERROR", pid, "registry_api", "STATEMENT:  " + LOOKUP)
        n_pub = poisson(1.6 * scale)
        for _ in range(n_pub):
            s = m * 60 + rng.uniform(0, 60)
            pid = rng.randint(80000, 99999)
            db(s, "ERROR", pid, "publish_svc", "ERROR:  canceling statement due to statement timeout")
            db(s + 0.0004, "ERROR", pid, "publish_svc", "STATEMENT:  " + PUBLISH_SQL)
for k in range(30):
    pid = 91200 + k * 3 + rng.randint(0, 2)
    db(BUMP_SEC + 0.45 + k * 0.21, "INFO", pid, "registry_api",
       "connection authorized: user=registry_api database=registry application_name=pgbouncer")
for k in range(30):
    pid = 91200 + k * 3
    db(REVERT_SEC + 0.35 + k * 0.02, "INFO", pid, "registry_api",
       "disconnection: session time: 0:47:%02d.%03d user=registry_api database=registry host=10.40.0.31" % (
           28 + k // 10, rng.randint(0, 999)))
db_lines.sort(key=lambda x: x[0])
with open(os.path.join(OUT, "metadata-db.log"), "w") as fh:
    for _, line in db_lines:
        fh.write(line + "\n")

# --------------------------------------------------------------------------------------------------------
# Checks and numbers for the reviewer notes
# --------------------------------------------------------------------------------------------------------
above = [r["m"] for r in rows if r["err"] > 0.05]
assert above[0] == mi(14, 7) and above[-1] == mi(14, 57), (above[0], above[-1])
assert all(r["err"] > 0.05 for r in rows if mi(14, 7) <= r["m"] <= mi(14, 57))
win = [r for r in rows if mi(14, 7) <= r["m"] <= mi(14, 57)]
req = sum(round(r["rps"]) * 60 for r in win)
failed = sum(round(r["rps"]) * 60 * round(r["err"], 4) for r in win)
base_err = sum(round(r["err"], 4) for r in rows if r["m"] < mi(14, 0)) / mi(14, 0)
excess = sum(round(r["rps"]) * 60 * (round(r["err"], 4) - base_err) for r in win)
wide = [r for r in rows if mi(14, 5) <= r["m"] <= mi(15, 0)]
failed_wide = sum(round(r["rps"]) * 60 * round(r["err"], 4) for r in wide)
day_req = sum(round(r["rps"]) * 60 for r in rows)
day_failed = sum(round(r["rps"]) * 60 * round(r["err"], 4) for r in rows)
print("minutes above 5%%: %d (14:07-14:57)" % len(win))
print("requests in window: %.0f  failed: %.0f  (%.2f%%)  excess over baseline %.4f: %.0f" % (
    req, failed, 100 * failed / req, base_err, excess))
print("mean error rate in window: %.4f  mean rps: %.0f" % (sum(round(r["err"], 4) for r in win) / len(win),
                                                         sum(round(r["rps"]) for r in win) / len(win)))
print("14:05-15:00 failed: %.0f  whole 4h: requests %.0f failed %.0f" % (failed_wide, day_req, day_failed))
print("peak error rate: %.4f at %s" % max((r["err"], minute_ts(r["m"])) for r in rows))
print("edge log sampled: %d lines, %d failed -> x40000 = %d (window-limited count below)" % (
    edge_total_sampled, edge_failed_sampled, edge_failed_sampled * 40000))
print("api sampled failures: %d -> x20000 = %d" % (api_failed_sampled, api_failed_sampled * 20000))
for name, lines in (("edge", edge_lines), ("api", api_lines), ("pgb", pgb_lines), ("db", db_lines)):
    print("%s lines: %d" % (name, len(lines)))


# --------------------------------------------------------------------------------------------------------
# Second edition, part 2: per-pod metrics (a labelled CSV) and pg_stat_statements snapshots. They draw from a
# third stream, so every line and figure above stays as it was.
# --------------------------------------------------------------------------------------------------------
extra = random.Random(SEED + 2)


def qpb_of(pod):
    return 3 if pod.rev == "4.81.2" else 24  # the model's mean queries per build on v4.82.0 (3 + 21)


pod_rows = []
for r in rows:
    m = r["m"]
    alive = sorted(pods_at(m * 60 + 30), key=lambda p: p.name)
    n = len(alive)
    shares = [extra.gauss(1.0, 0.03) for _ in alive]
    total_share = sum(shares)
    weights = [r["others"] / n + r["builds"] / n * qpb_of(p) for p in alive]
    total_w = sum(weights)
    api_err = min(0.95, r["err"] / API_SHARE)
    incident = mi(14, 6) <= m <= mi(14, 58)
    for p, sh, w in zip(alive, shares, weights):
        req = r["api_rps"] * sh / total_share
        qps = r["qps"] * w / total_w
        if incident:
            p99 = min(3060, r["p99"] * extra.gauss(1.0, 0.015))
            err = max(0.0, api_err * extra.gauss(1.0, 0.04))
        else:
            p99 = (300 + (75 if p.rev == "4.82.0" else 0)) * extra.gauss(1.0, 0.05)
            if m in (M_FERRET, M_FERRET + 1) and p.rev == "4.82.0":
                p99 += 500 * extra.random()
            err = max(0.0, 0.0008 + extra.gauss(0, 0.0004))
        pod_rows.append((m, p.name, p.rev, req, qps, p99, err))
with open(os.path.join(OUT, "registry-api-pods.csv"), "w") as fh:
    fh.write("time,pod,version,requests_per_s,db_queries_per_s,p99_ms,error_ratio\n")
    for m, name, rev, req, qps, p99, err in pod_rows:
        fh.write("%s,%s,%s,%.1f,%.1f,%d,%.4f\n" % (minute_ts(m), name, rev, req, qps, round(p99), err))
for r in rows:  # the pods add up to the service
    got = [x for x in pod_rows if x[0] == r["m"]]
    assert abs(sum(x[3] for x in got) - r["api_rps"]) < 1 and abs(sum(x[4] for x in got) - r["qps"]) < 1

# pg_stat_statements: the difference between two snapshots on the primary, for three windows
WINDOWS = [("12:00", "12:15", mi(12, 0), mi(12, 15), "v4.81.2 on every pod"),
           ("13:30", "14:00", mi(13, 30), mi(14, 0), "v4.82.0 on every pod, before the @orbit/ui publish"),
           ("14:06", "14:48", mi(14, 6), mi(14, 48), "pool exhausted, before the rollback")]
Q_PKG = "SELECT id, name, dist_tags_rev FROM packages WHERE name = $1"
Q_VERSIONS = "SELECT version, manifest, published_at FROM versions WHERE package_id = $1 ORDER BY published_at"
Q_TAGS = "SELECT tag, version FROM dist_tags WHERE package_id = $1"
Q_PKG_TAGS = ("SELECT p.id, p.name, t.tag, t.version FROM packages p LEFT JOIN dist_tags t ON t.package_id = p.id "
              "WHERE p.name = $1")
Q_FRESH = "SELECT updated_at FROM packages WHERE name = $1"
Q_TOKEN = "UPDATE tokens SET last_used_at = now() WHERE id = $1"
stat_out = ["pg_stat_statements on mdb-primary (metadata-db primary): the difference between two snapshots, for three",
            "windows of 14 October 2026 (UTC). calls and total_ms are sums over the window; mean_ms = total_ms / calls.",
            "Top statements by total_ms; the rest together are under 3 % of total_ms in every window. Statements",
            "cancelled by the statement timeout are not counted.", ""]
for a, b, m0, m1, what in WINDOWS:
    win = [r for r in rows if m0 <= r["m"] < m1]
    secs = 60 * len(win)
    cpu = sum(r["cpu"] for r in win) / len(win)
    slow = 1.0 + 2.6 * max(0.0, (cpu - 45) / 50) ** 2  # statements slow down as the primary's CPU fills
    calls = {}
    for r in win:
        f = r["qps"] / (r["others"] + r["builds"] * r["qpb"])  # the pool caps the queries during the incident
        b_old = r["builds"] * f * 60 * (1 - r["dep"])  # v4.81.2: 3 queries per build
        b_new = r["builds"] * f * 60 * r["dep"]        # v4.82.0 (PR #4471): 1 + 1 + one lookup per version
        calls[Q_FRESH] = calls.get(Q_FRESH, 0) + r["others"] * f * 60
        for q in (Q_PKG, Q_TAGS):
            calls[q] = calls.get(q, 0) + b_old
        calls[Q_PKG_TAGS] = calls.get(Q_PKG_TAGS, 0) + b_new
        calls[Q_VERSIONS] = calls.get(Q_VERSIONS, 0) + b_old + b_new
        calls[LOOKUP] = calls.get(LOOKUP, 0) + b_new * 22
    calls[Q_TOKEN] = 1420 * secs * extra.uniform(0.98, 1.02)
    # about half the publishes were cancelled by the statement timeout in the incident (chat, 15:08: 1,187 of
    # about 2,300); a cancelled statement is not counted
    calls[PUBLISH_SQL] = 0.75 * secs * extra.uniform(0.9, 1.1) * (0.48 if m0 >= mi(14, 6) else 1.0)
    calls[REPORT_SQL] = max(1, round(len(win) / 15))
    mean = {Q_FRESH: 0.21, Q_PKG: 0.28, Q_PKG_TAGS: 0.46, Q_VERSIONS: 3.9, Q_TAGS: 0.24, LOOKUP: 0.31, Q_TOKEN: 0.42,
            PUBLISH_SQL: 6.8, REPORT_SQL: 2400.0}
    users = {Q_FRESH: "registry_api", Q_PKG: "registry_api", Q_PKG_TAGS: "registry_api", Q_VERSIONS: "registry_api", Q_TAGS: "registry_api",
             LOOKUP: "registry_api", Q_TOKEN: "auth_svc", PUBLISH_SQL: "publish_svc", REPORT_SQL: "report_ro"}
    table = []
    for q, c in calls.items():
        if c < 0.5:
            continue
        mm = mean[q] * (slow if q != REPORT_SQL else 1.0) * extra.uniform(0.96, 1.04)
        table.append((c * mm, round(c), mm, users[q], q))
    table.sort(reverse=True)
    stat_out.append("== %s to %s UTC (%d minutes): %s; primary CPU %.0f %% on average" % (a, b, len(win), what, cpu))
    stat_out.append("%-12s %12s %14s %9s  %s" % ("user", "calls", "total_ms", "mean_ms", "query"))
    for total, c, mm, u, q in table:
        stat_out.append("%-12s %12d %14d %9.2f  %s" % (u, c, round(total), mm, q))
    stat_out.append("")
with open(os.path.join(OUT, "pg-stat-statements.txt"), "w") as fh:
    fh.write("\n".join(stat_out))
print("pod rows: %d" % len(pod_rows))
