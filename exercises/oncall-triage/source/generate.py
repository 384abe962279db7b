#!/usr/bin/env python3
"""Deterministic generator for the oncall-triage evidence (stdlib only).

Writes evidence/metrics.csv, evidence/edge-tarball.log and evidence/publish.log.
Run from anywhere: python3 source/generate.py
"""
import os
import random
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "evidence")
rnd = random.Random(20261006)

T0 = datetime(2026, 10, 6, 13, 0, tzinfo=timezone.utc)
T_END = datetime(2026, 10, 6, 14, 36, tzinfo=timezone.utc)  # last minute row (inclusive)
MINUTES = int((T_END - T0).total_seconds() // 60) + 1       # 97 rows

# Key moments (must agree with queue.md and changes.md)
CFG_APPLY = {  # edge-config 2291 applied per ap-southeast POP
    "apse-1": T0 + timedelta(minutes=68, seconds=41),
    "apse-2": T0 + timedelta(minutes=68, seconds=44),
    "apse-3": T0 + timedelta(minutes=68, seconds=52),
}
ROLLOUT_START = T0 + timedelta(minutes=68, seconds=30)  # 14:08:30
OOM_AT = T0 + timedelta(minutes=37, seconds=12)          # 13:37:12


def ts(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def tmin(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:00Z")


def hexid(n=8):
    return "".join(rnd.choice("0123456789abcdef") for _ in range(n))


# ----------------------------------------------------------------------------
# Edge model
# ----------------------------------------------------------------------------
REGIONS = [  # region, share of traffic, pops
    ("na-east", 0.34, ["nae-1", "nae-2", "nae-3"]),
    ("eu-central", 0.30, ["euc-1", "euc-2", "euc-3"]),
    ("na-west", 0.16, ["naw-1", "naw-2"]),
    ("ap-southeast", 0.11, ["apse-1", "apse-2", "apse-3"]),
    ("sa-east", 0.09, ["sae-1", "sae-2"]),
]
TARBALL_SHARE = 0.45   # share of edge requests that are tarball downloads
SCOPED_SHARE = 0.30    # share of tarball requests that are for scoped packages
BASE_5XX = 0.0005      # 0.05 % background 5xx (origin timeouts)
RETRY_BOOST = 1.08     # clients retrying failed downloads in ap-southeast

UNSCOPED = [
    ("yamlette", ["1.4.2", "1.4.3"]),
    ("kilo-router", ["2.0.1", "2.1.0"]), ("semverish", ["7.1.0"]),
    ("dotcfg", ["16.0.3", "16.1.0"]), ("quickqueue", ["0.9.4"]),
    ("strftime-lite", ["1.0.8"]), ("deep-mergeit", ["4.2.1"]),
    ("glob-walker", ["10.3.1"]), ("tiny-uid", ["5.0.2"]),
    ("promise-pool-x", ["3.1.0"]), ("argv-lite", ["2.2.0"]),
    ("fs-walkabout", ["1.1.4"]), ("mime-mapper", ["3.0.0"]),
]
SCOPED = [
    ("@formwork/core", ["2.3.1", "2.3.0"]), ("@formwork/cli", ["2.3.1"]),
    ("@lattice-ui/button", ["5.2.0"]), ("@lattice-ui/theme", ["5.2.0", "5.1.4"]),
    ("@nimbusjs/http", ["1.8.0"]), ("@tessel8/parser", ["0.14.2"]),
    ("@orbit-kit/utils", ["3.6.1"]), ("@pky-demo/hello", ["1.0.0"]),
    ("@quarry/logger", ["4.0.0"]), ("@hexforge/crypto-lite", ["2.1.3"]),
]


def total_rps(m):
    base = 15200 + 8 * m
    return base * (1 + rnd.uniform(-0.015, 0.015))


# Third edition (issue 19): 6 October's traffic is late August's (scaling-plan: 15,300 req/s in the 13:00 hour,
# 17,200 in the 14:00 hour) grown by about six weeks of 60 % a year. The model above is the second edition's; every
# rate is multiplied by scale(m), and the sampled log lines for the added traffic are drawn from a stream of their
# own (MORE), so that the main stream, and with it every line and count the reviewer notes cite, is unchanged.
def scale(m):
    return (15800 + 24 * m) / (15200 + 8 * m)


MORE = random.Random(20261006 + 2)


def cfg_fraction_2291(minute_start):
    """Share of the minute during which ap-southeast POPs ran config 2291."""
    end = minute_start + timedelta(minutes=1)
    secs = 0.0
    for t in CFG_APPLY.values():
        if t >= end:
            continue
        secs += (end - max(t, minute_start)).total_seconds()
    return secs / (60.0 * len(CFG_APPLY))


edge_rows = []
for m in range(MINUTES):
    t = T0 + timedelta(minutes=m)
    tot = total_rps(m)
    frac = cfg_fraction_2291(t)
    apse_base = tot * 0.11
    apse = apse_base * (1 + (RETRY_BOOST - 1) * frac)
    # failing share in ap-southeast: scoped tarballs under 2291 (retries fail too)
    fail_share_apse = TARBALL_SHARE * SCOPED_SHARE * frac * RETRY_BOOST / (1 + (RETRY_BOOST - 1) * frac)
    fail_share_apse *= rnd.uniform(0.97, 1.04) if frac > 0 else 1.0
    b = BASE_5XX * rnd.uniform(0.7, 1.3)
    apse_pct = 100 * (fail_share_apse + b)
    rest = tot - apse_base
    tot_eff = rest + apse
    glob_pct = 100 * (rest * BASE_5XX * rnd.uniform(0.85, 1.15) + apse * apse_pct / 100) / tot_eff
    edge_rows.append(dict(t=t, total=tot_eff, apse=apse, apse_pct=apse_pct, glob_pct=glob_pct, frac=frac,
                          scale=scale(m)))

# ----------------------------------------------------------------------------
# Edge tarball log, 13:50:00 - 14:36:59
# (packages in the sample are the very popular ones; at 1 in 20,000 the packages
#  of the token item, ~190 downloads a minute, would not be expected to appear)
# ----------------------------------------------------------------------------
edge_lines = []
LOG_FROM = 50  # minute index 13:50


def pick_region():
    r = rnd.random()
    acc = 0
    for name, share, pops in REGIONS:
        acc += share
        if r <= acc:
            return name, rnd.choice(pops)
    return REGIONS[-1][0], rnd.choice(REGIONS[-1][2])


def tarball(scoped, when):
    name, versions = rnd.choice(SCOPED if scoped else UNSCOPED)
    v = rnd.choice(versions)
    short = name.split("/")[-1]
    path = "/%s/-/%s-%s.tgz" % (name, short, v)
    if scoped:
        scope, pkg = name.split("/")
        key_ok = "%s%%2f%s/%s-%s.tgz" % (scope, pkg, short, v)
        key_bad = "%s%%252f%s/%s-%s.tgz" % (scope, pkg, short, v)
    else:
        key_ok = key_bad = "%s/%s-%s.tgz" % (name, name, v)
    return path, key_ok, key_bad


def cfg_at(pop, when):
    if pop in CFG_APPLY and when >= CFG_APPLY[pop]:
        return 2291
    return 2290


def edge_line(when, region, pop, sample, scoped, force_error=None):
    path, key_ok, key_bad = tarball(scoped, when)
    cfg = cfg_at(pop, when)
    req = hexid(8)
    if cfg == 2291 and scoped:
        ms = rnd.randint(28, 70)
        return ("%s ERROR edge pop=%s region=%s cfg=%d sample=%s req=%s GET %s status=502 cache=MISS "
                "origin_status=400 origin_key=%s err=\"origin rejected object key\" ms=%d"
                % (ts(when), pop, region, cfg, sample, req, path, key_bad, ms))
    if force_error == "timeout":
        return ("%s ERROR edge pop=%s region=%s cfg=%d sample=%s req=%s GET %s status=503 cache=MISS "
                "origin_status=- origin_key=%s err=\"origin timeout after 10000ms\" ms=%d"
                % (ts(when), pop, region, cfg, sample, req, path, key_ok, 10000 + rnd.randint(1, 40)))
    if rnd.random() < 0.86:
        return ("%s INFO edge pop=%s region=%s cfg=%d sample=%s req=%s GET %s status=200 cache=HIT ms=%d bytes=%d"
                % (ts(when), pop, region, cfg, sample, req, path, rnd.randint(2, 25), rnd.randint(4000, 900000)))
    if rnd.random() < 0.04:
        return ("%s INFO edge pop=%s region=%s cfg=%d sample=%s req=%s GET %s status=304 cache=HIT ms=%d bytes=0"
                % (ts(when), pop, region, cfg, sample, req, path, rnd.randint(2, 15)))
    return ("%s INFO edge pop=%s region=%s cfg=%d sample=%s req=%s GET %s status=200 cache=MISS origin_status=200 "
            "origin_key=%s ms=%d bytes=%d"
            % (ts(when), pop, region, cfg, sample, req, path, key_ok, rnd.randint(40, 220), rnd.randint(4000, 900000)))


MAIN = rnd


def sampled_minute(row, share):
    """The sampled tarball lines of one minute for `share` of its traffic (all random draws from the module's rnd)."""
    t = row["t"]
    tar_rps = row["total"] * share * TARBALL_SHARE
    # 1 in 20,000 of all tarball requests
    n_all = int(round(tar_rps * 60 / 20000 * rnd.uniform(0.9, 1.1)))
    for _ in range(n_all):
        when = t + timedelta(seconds=rnd.uniform(0, 59.999))
        region, pop = pick_region()
        scoped = rnd.random() < SCOPED_SHARE
        err = "timeout" if rnd.random() < BASE_5XX else None
        edge_lines.append((when, edge_line(when, region, pop, "all", scoped, err)))
    # 1 in 500 of error responses (status >= 500)
    # background errors everywhere
    bg = row["total"] * share * BASE_5XX * TARBALL_SHARE * 60 / 500
    n_bg = int(bg) + (1 if rnd.random() < (bg - int(bg)) else 0)
    for _ in range(n_bg):
        when = t + timedelta(seconds=rnd.uniform(0, 59.999))
        region, pop = pick_region()
        # make sure the background error is not a 2291 scoped request
        scoped = rnd.random() < SCOPED_SHARE and cfg_at(pop, when) == 2290
        edge_lines.append((when, edge_line(when, region, pop, "err", scoped, "timeout")))
    # ap-southeast scoped failures under 2291
    if row["frac"] > 0:
        fail_rps = row["apse"] * share * (row["apse_pct"] / 100 - BASE_5XX)
        n_f = int(round(fail_rps * 60 / 500 * rnd.uniform(0.92, 1.08)))
        for _ in range(n_f):
            while True:
                when = t + timedelta(seconds=rnd.uniform(0, 59.999))
                pop = rnd.choice(["apse-1", "apse-2", "apse-3"])
                if cfg_at(pop, when) == 2291:
                    break
            edge_lines.append((when, edge_line(when, "ap-southeast", pop, "err", True)))


for m in range(LOG_FROM, MINUTES):
    row = edge_rows[m]
    rnd = MAIN
    sampled_minute(row, 1.0)                   # the second edition's lines, main stream
    rnd = MORE
    sampled_minute(row, row["scale"] - 1.0)    # the added traffic's lines, their own stream
    rnd = MAIN

edge_lines.append((ROLLOUT_START,
                   "%s INFO edge-rollout rollout=2291 stage=1/2 started kind=canary targets=apse-1,apse-2,apse-3 "
                   "change=\"tarball cache-key normalisation\" owner=delivery-team "
                   "next_stage=2026-10-06T15:00:00Z next_targets=all-pops auto_promote=true" % ts(ROLLOUT_START)))
for pop, when in CFG_APPLY.items():
    edge_lines.append((when, "%s INFO edge-config-agent pop=%s region=ap-southeast applied config version=2291 "
                             "previous=2290 rollout=2291 stage=1/2" % (ts(when), pop)))
hc = ROLLOUT_START + timedelta(minutes=5, seconds=1)
edge_lines.append((hc, "%s INFO edge-rollout rollout=2291 stage=1/2 health_gate=pass checks=pop_up,config_parse,http_200_root "
                       "note=\"gate does not check error rate\"" % ts(hc)))
w = datetime(2026, 10, 6, 14, 30, 0, 250000, tzinfo=timezone.utc)
edge_lines.append((w, "%s INFO edge-rollout rollout=2291 stage=2/2 scheduled at=2026-10-06T15:00:00Z targets=all-pops "
                      "(30 min remaining; pause with edgectl rollout pause 2291)" % ts(w)))
edge_lines.sort(key=lambda x: x[0])

# ----------------------------------------------------------------------------
# Publish / auth log, 13:00:00 - 14:36:59
# ----------------------------------------------------------------------------
WORDS = ["quietfox", "lumen-labs", "bytegarden", "riverstone", "mako-dev", "owlbyte", "greenloop", "pixelferry",
         "kestrel-js", "nightjar", "copperleaf", "driftwood-dev", "sunfield", "tidepool", "marrow-io", "ironbark",
         "lichen", "pebbleworks", "zephyr-ops", "cobaltcat", "fernhill", "quartzline", "hollowtree", "amberly",
         "northwind-js", "saltmarsh", "basalt-dev", "juniper-io", "wrenworks", "foxglove", "tessel8", "formwork",
         "lattice-ui", "nimbusjs", "orbit-kit", "quarry", "hexforge", "duneline", "mossbank", "starling-dev"]
TOKEN_NAMES = ["ci-release", "github-actions", "automation", "release-bot", "laptop", "deploy"]
owners = []
for wname in WORDS:
    toks = []
    for _ in range(rnd.choice([1, 1, 2])):
        created = (T0 - timedelta(days=rnd.randint(20, 900))).strftime("%Y-%m-%d")
        toks.append(("tok_" + hexid(6), rnd.choice(TOKEN_NAMES), created))
    owners.append((wname, toks))

PKG_SUFFIX = ["core", "utils", "cli", "parser", "http", "theme", "config", "lint-rules", "types", "plugin",
              "router", "store", "icons", "test-kit", "logger"]
UAS = ["pkg-cli/10.9.2 node/v22.11.0", "pkg-cli/10.8.3 node/v20.17.0", "pkg-cli/11.0.0 node/v22.12.0",
       "pkg-cli/10.9.2 node/v20.18.0", "pkg-cli/11.0.0 node/v24.1.0"]


def ip_for(owner):
    h = sum(ord(c) for c in owner)
    return "%s.%d" % (["198.51.100", "192.0.2"][h % 2], (h * 7) % 250 + 3)


pub_lines = []
accepted_per_min = [0] * MINUTES
feed_seq = 88412907
ATT_TOKEN = "tok_7f2c91"
ATT_IP = "203.0.113.77"
ATT_UA = "undici/6.2.1"

events = []  # (time, kind, data)
for m in range(MINUTES):
    t = T0 + timedelta(minutes=m)
    # Poisson-ish around 6 publishes a minute
    n = max(0, int(round(rnd.gauss(6, 2.2))))
    for _ in range(n):
        events.append((t + timedelta(seconds=rnd.uniform(0, 58.5)), "normal", None))

ATT = [
    (datetime(2026, 10, 6, 13, 49, 58, 412000, tzinfo=timezone.utc), "whoami", None),
    (datetime(2026, 10, 6, 13, 52, 13, 877000, tzinfo=timezone.utc), "publish_ok", ("tiny-colorize", "3.4.1", "3.4.0")),
    (datetime(2026, 10, 6, 14, 27, 39, 120000, tzinfo=timezone.utc), "publish_ok", ("colorize-cli", "1.9.3", "1.9.2")),
    (datetime(2026, 10, 6, 14, 31, 4, 530000, tzinfo=timezone.utc), "publish_2fa", ("ansi-tint", "0.8.2", "0.8.1")),
    (datetime(2026, 10, 6, 14, 34, 50, 61000, tzinfo=timezone.utc), "access_2fa", ("ansi-tint", None, None)),
]
for when, kind, data in ATT:
    events.append((when, kind, data))
events.sort(key=lambda e: e[0])

used_versions = set()
for when, kind, data in events:
    req = hexid(8)
    if kind == "normal":
        owner, toks = rnd.choice(owners)
        tok, tname, created = rnd.choice(toks)
        if owner in ("formwork", "lattice-ui", "nimbusjs", "tessel8", "orbit-kit", "quarry", "hexforge") or rnd.random() < 0.45:
            pkg = "@%s/%s" % (owner, rnd.choice(PKG_SUFFIX))
        else:
            pkg = "%s-%s" % (owner, rnd.choice(PKG_SUFFIX))
        ver = "%d.%d.%d" % (rnd.randint(0, 12), rnd.randint(0, 30), rnd.randint(0, 40))
        if rnd.random() < 0.08:
            ver += "-beta.%d" % rnd.randint(0, 9)
        ip = ip_for(owner) if rnd.random() < 0.93 else "203.0.113.%d" % rnd.choice([12, 45, 101, 160, 211])
        new_ip = "true" if not ip.startswith(("198.51.100", "192.0.2")) and rnd.random() < 0.5 else "false"
        last_used = (when - timedelta(days=rnd.choice([0, 0, 1, 1, 2, 3, 5, 8, 13]))).strftime("%Y-%m-%d")
        twofa = "ok" if tname == "laptop" else "not-required"
        ua = rnd.choice(UAS)
        prov = "yes" if tname in ("github-actions", "ci-release", "release-bot") and rnd.random() < 0.8 else "none"
        pub_lines.append((when, "%s INFO auth-svc req=%s token_verify ok token=%s type=publish owner=%s token_name=\"%s\" "
                                "created=%s last_used=%s ip=%s new_ip=%s 2fa=%s api=publish pkg=%s"
                          % (ts(when), req, tok, owner, tname, created, last_used, ip, new_ip, twofa, pkg)))
        w2 = when + timedelta(milliseconds=rnd.randint(180, 1400))
        r = rnd.random()
        if r < 0.025:
            pub_lines.append((w2, "%s WARN publish-svc req=%s publish rejected pkg=%s version=%s owner=%s token=%s status=409 "
                                  "reason=\"version already exists\"" % (ts(w2), req, pkg, ver, owner, tok)))
            continue
        if r < 0.035:
            pub_lines.append((w2, "%s WARN publish-svc req=%s publish rejected pkg=%s version=%s owner=%s token=%s status=403 "
                                  "reason=\"token has no write access to package\"" % (ts(w2), req, pkg, ver, owner, tok)))
            continue
        scripts = "none" if rnd.random() < 0.97 else rnd.choice(["prepare", "install"])
        tag = "next" if "-beta" in ver else "latest"
        pub_lines.append((w2, "%s INFO publish-svc req=%s publish accepted pkg=%s version=%s owner=%s token=%s ip=%s ua=\"%s\" "
                              "provenance=%s scripts_added=%s dist_tag=%s size_kb=%d"
                          % (ts(w2), req, pkg, ver, owner, tok, ip, ua, prov, scripts, tag, rnd.randint(4, 2400))))
        feed_seq += 1
        w3 = w2 + timedelta(milliseconds=rnd.randint(20, 90))
        pub_lines.append((w3, "%s INFO publish-svc req=%s feed emitted seq=%d pkg=%s version=%s"
                          % (ts(w3), req, feed_seq, pkg, ver)))
        idx = int((w2 - T0).total_seconds() // 60)
        if 0 <= idx < MINUTES:
            accepted_per_min[idx] += 1
        continue
    # attacker events
    base = "token_verify ok token=%s type=publish owner=tintwork token_name=\"laptop-2023\" created=2023-05-14 " \
           "last_used=%s ip=%s new_ip=true 2fa=not-required" % (
               ATT_TOKEN, "2025-11-02" if kind == "whoami" else "2026-10-06", ATT_IP)
    if kind == "whoami":
        pub_lines.append((when, "%s INFO auth-svc req=%s %s api=whoami" % (ts(when), req, base)))
        continue
    pkg, ver, prev = data
    if kind == "access_2fa":
        pub_lines.append((when, "%s INFO auth-svc req=%s %s api=package-access pkg=%s" % (ts(when), req, base, pkg)))
        w2 = when + timedelta(milliseconds=211)
        pub_lines.append((w2, "%s WARN publish-svc req=%s access change rejected pkg=%s owner=tintwork token=%s ip=%s "
                              "status=403 reason=\"2FA required by package setting\" requested=\"publish_requires_2fa=false\""
                          % (ts(w2), req, pkg, ATT_TOKEN, ATT_IP)))
        continue
    pub_lines.append((when, "%s INFO auth-svc req=%s %s api=publish pkg=%s" % (ts(when), req, base, pkg)))
    w2 = when + timedelta(milliseconds=326)
    if kind == "publish_2fa":
        pub_lines.append((w2, "%s WARN publish-svc req=%s publish rejected pkg=%s version=%s owner=tintwork token=%s ip=%s "
                              "status=403 reason=\"2FA required by package setting\"" % (ts(w2), req, pkg, ver, ATT_TOKEN, ATT_IP)))
        continue
    pub_lines.append((w2, "%s INFO publish-svc req=%s publish accepted pkg=%s version=%s owner=tintwork token=%s ip=%s "
                          "ua=\"%s\" provenance=none scripts_added=postinstall dist_tag=latest size_kb=%d previous_latest=%s "
                          "previous_provenance=yes"
                      % (ts(w2), req, pkg, ver, ATT_TOKEN, ATT_IP, ATT_UA, rnd.randint(9, 14), prev)))
    feed_seq += 1
    w3 = w2 + timedelta(milliseconds=44)
    pub_lines.append((w3, "%s INFO publish-svc req=%s feed emitted seq=%d pkg=%s version=%s"
                      % (ts(w3), req, feed_seq, pkg, ver)))
    accepted_per_min[int((w2 - T0).total_seconds() // 60)] += 1

# registry-api restart is not in these logs (it is in queue.md); nothing else to add
pub_lines.sort(key=lambda x: x[0])

# ----------------------------------------------------------------------------
# Other metrics
# ----------------------------------------------------------------------------
rows = []
for m in range(MINUTES):
    t = T0 + timedelta(minutes=m)
    e = edge_rows[m]
    # registry-api p99: flat, small bump when one pod is OOM-killed at 13:37 and after the 13:30 deploy
    p99 = 178 + rnd.uniform(-9, 9)
    if 30 <= m <= 33:
        p99 += 12  # rolling deploy
    if m in (37, 38):
        p99 += 55 if m == 37 else 20
    restarts = 1 if m == 37 else 0
    disk = 91.8 + 0.035 * m + rnd.uniform(-0.02, 0.02)
    lag = 350 + 14 * m + rnd.uniform(-25, 25)
    if 88 <= m <= 93:  # 14:28 - 14:33 vacuum on replica-2
        rep = {88: 6.5, 89: 19.0, 90: 42.0, 91: 31.0, 92: 14.0, 93: 3.1}[m]
    else:
        rep = rnd.uniform(0.1, 0.6)
    rows.append([tmin(t), round(e["total"] * e["scale"]), round(e["apse"] * e["scale"]), "%.2f" % e["glob_pct"], "%.2f" % e["apse_pct"],
                 round(p99), restarts, "%.2f" % disk, round(lag), "%.1f" % rep, accepted_per_min[m]])

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "metrics.csv"), "w") as f:
    f.write("time,edge_rps_total,edge_rps_ap_southeast,edge_5xx_pct_global,edge_5xx_pct_ap_southeast,"
            "registry_api_p99_ms,registry_api_pod_restarts,node_disk_used_pct,search_index_lag_s,"
            "metadata_db_replica2_lag_s,publishes_accepted_per_min\n")
    for r in rows:
        f.write(",".join(str(x) for x in r) + "\n")
with open(os.path.join(OUT, "edge-tarball.log"), "w") as f:
    for _, line in edge_lines:
        f.write(line + "\n")
with open(os.path.join(OUT, "publish.log"), "w") as f:
    for _, line in pub_lines:
        f.write(line + "\n")
print("metrics rows", len(rows), "edge lines", len(edge_lines), "publish lines", len(pub_lines))
