#!/usr/bin/env python3
"""Generate evidence/operations-log.csv for the toil-automation exercise.

Deterministic (fixed seed, stdlib only). Model:
- replication-feed writes change segments to a per-pod volume at a rate that
  grows ~60%/year (about 70 GB/day on 1 Jan 2026).
- The runbook keeps 12 days of segments locally, so after a prune the volume
  holds about 12 days of writes; slow mirrors sometimes hold the cutoff back.
- An alert fires at 80% used; a person starts the prune 0-2 working days later.
- The volumes were resized from 2.0 TB to 2.5 TB on 2026-06-15.
- A few executions are fixed by hand (the incidents in failure-history.md and
  the holiday run in chat-excerpt.md); everything else is drawn from the seed.
One row per execution (rows are irregularly spaced on purpose).
"""
import datetime as dt
import math
import os
import random

SCHED = random.Random(20261214)  # schedule: write noise, start lag, cutoff hold-back
COST = random.Random(4417)  # per-run cost and trouble

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "evidence", "operations-log.csv")
START = dt.date(2026, 1, 1)
END = dt.date(2026, 12, 13)
RESIZE = dt.date(2026, 6, 15)


def rate_gb_per_day(day):
    t = (day - START).days / 365.0
    return 70.0 * math.pow(1.6, t)


def capacity_gb(day):
    return 2000.0 if day < RESIZE else 2500.0


# Executions fixed by hand: date -> (start HH:MM UTC, overrides)
FIXED = {
    # failure-history 2026-03-20: a glob removed the live segment on the writer pod
    dt.date(2026, 3, 20): ("14:20", dict(minutes_spent=430, wall_clock_minutes=195, steps_failed=2,
                                         pages_caused=3, engineers_involved=3, outside_working_hours=0)),
    # failure-history 2026-05-14: feed_min_seq not updated, a large mirror re-synced from zero
    dt.date(2026, 5, 14): ("15:05", dict(minutes_spent=365, wall_clock_minutes=150, steps_failed=1,
                                         pages_caused=2, engineers_involved=3, outside_working_hours=0)),
    # chat-excerpt: Farid runs it while on holiday
    dt.date(2026, 8, 3): ("17:20", dict(minutes_spent=175, wall_clock_minutes=150, steps_failed=1,
                                        pages_caused=0, engineers_involved=2, outside_working_hours=1)),
    # failure-history 2026-08-15: volume full at night, contractor escalates, verification skipped
    dt.date(2026, 8, 15): ("01:40", dict(minutes_spent=420, wall_clock_minutes=210, steps_failed=2,
                                         pages_caused=4, engineers_involved=2, outside_working_hours=1,
                                         disk_used_pct_at_start=100)),
    # failure-history 2026-11-12: two people started the procedure at the same time
    dt.date(2026, 11, 12): ("15:30", dict(minutes_spent=310, wall_clock_minutes=150, steps_failed=2,
                                          pages_caused=1, engineers_involved=3, outside_working_hours=0)),
}


def next_workday(day):
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


# When the 80% alert fires inside one of these windows, the run starts on the given date instead
# (INC-3: alert on Sunday 9 Aug snoozed, the volume filled early on Saturday 15 Aug).
LATE_RUNS = {(dt.date(2026, 8, 8), dt.date(2026, 8, 11)): dt.date(2026, 8, 15)}

rows = []
used = 0.74 * 2000.0  # state on 1 Jan
day = START
target = None
while day <= END:
    used += rate_gb_per_day(day) * SCHED.uniform(0.9, 1.1)
    cap = capacity_gb(day)
    if target is None and used >= 0.8 * cap:
        lag = SCHED.choice([0, 1, 1, 2])
        target = next_workday(day + dt.timedelta(days=lag))
        for (a, b), late in LATE_RUNS.items():
            if a <= day <= b:
                target = late
    if target is not None and day == target:
        pct = min(100.0, 100.0 * used / cap)
        # keep 12 days locally; a slow mirror sometimes holds the cutoff back by 1-4 days
        hold = SCHED.choice([0, 0, 0, 0, 1, 2, 3])
        if day in LATE_RUNS.values():
            used = cap  # writes stopped when it was full
            pct = 100.0
        keep = (12 + hold) * rate_gb_per_day(day)
        freed = max(0.0, used - keep)
        hhmm = COST.choice(["09:15", "10:00", "10:30", "13:10", "14:00", "15:30", "16:45", "17:20", "19:05"])
        engineers = 2  # runbook step 10 needs a second person to read the delete list
        wall = COST.randint(85, 125) + 8 * hold
        failed = 0
        pages = 0
        ooh = 0
        extra = 0
        roll = COST.random()
        if roll < 0.22:
            failed = 1
            wall += COST.randint(25, 60)
            extra = COST.randint(10, 40)
            pages = COST.choice([0, 0, 1])
        elif roll < 0.27:
            failed = 2
            wall += COST.randint(50, 80)
            extra = COST.randint(30, 60)
            pages = 1
            engineers = 3
        COST.random()  # was a random out-of-hours flag; drawn still so that every other value stays the same
        # outside working hours follows from the start time: before 08:00 or from 18:00 UTC, or a weekend
        hour = int(hhmm[:2])
        ooh = 1 if hour < 8 or hour >= 18 or day.weekday() >= 5 else 0
        # the second person spends ~20 min on the delete-list check, plus any trouble
        minutes = wall + 20 + extra + (30 if engineers == 3 else 0)
        r = dict(minutes_spent=minutes, wall_clock_minutes=wall, steps_failed=failed,
                 pages_caused=pages, engineers_involved=engineers, outside_working_hours=ooh)
        if day in FIXED:
            hhmm, over = FIXED[day]
            r.update(over)
        r.setdefault("disk_used_pct_at_start", round(pct))
        r["disk_used_pct_at_start"] = round(r["disk_used_pct_at_start"])
        if r["disk_used_pct_at_start"] >= 95:
            # FeedStoreDiskCritical (95 %) pages the on-call; a run that starts there needed that page
            r["pages_caused"] = max(1, r["pages_caused"])
        r["gb_freed_per_pod"] = int(round(freed / 10.0) * 10)
        h, m = hhmm.split(":")
        r["time"] = f"{day.isoformat()}T{h}:{m}:00Z"
        rows.append(r)
        used -= freed
        target = None
    day += dt.timedelta(days=1)

cols = ["time", "minutes_spent", "wall_clock_minutes", "engineers_involved", "steps_failed",
        "pages_caused", "outside_working_hours", "disk_used_pct_at_start", "gb_freed_per_pod"]
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w", newline="\n") as f:
    f.write(",".join(cols) + "\n")
    for r in rows:
        f.write(",".join(str(r[c]) for c in cols) + "\n")
print(f"wrote {len(rows)} rows to {os.path.normpath(OUT)}")
missing = [d for d in sorted(FIXED) if not any(r["time"].startswith(d.isoformat()) for r in rows)]
if missing:
    raise SystemExit(f"fixed executions not placed: {missing}")
