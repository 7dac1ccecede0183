#!/usr/bin/python3
"""Six months of realistic kiosk batches for openline-stats, and an independent oracle of the sums.

  reach.py seed --base URL --stats BIN --db URL --today YYYY-MM-DD --out DIR
      Adds 12 kiosks at 5 sites with BIN (`kiosk add`), posts 26 weeks of noisy batches to the
      server at URL through the wire-v1 API (docs/wire-v1.md), heartbeats for the last days, and
      writes DIR/batches.json: every batch the server stored (201).
  reach.py expect --batches DIR/batches.json --from D --to D [--site NAME]... [--lang CODE]...
      Prints, as JSON, the sums the dashboard must show for that filter and period, each with the
      number of batches summed and its 95 % margin.
  reach.py csv-check --batches DIR/batches.json --from D --to D --csv FILE [--by GROUPING]
      Compares those sums with the collector's /export.csv?by=GROUPING (week, site, language,
      page) of the same range, which must be whole ISO weeks (there the collector's current
      ISO-week rule and the Thursday rule agree).

Attribution (issue 16): a day bucket counts on its day, a week bucket on its Thursday (start + 3
days, ISO 8601), so every week is in exactly one month, quarter and year. A period [from, to] sums
the buckets whose attribution day is in it; the chart week of a bucket is the Monday of its
attribution day. With --lang, sessions are the sum of the chosen lang.CODE counters (calls and
pages are never split by language). With --site, only batches of kiosks at those sites count.

Margin: one batch's noise with parameter e has variance 2a/(1-a)^2, a = exp(-e); a sum's variance
is the sum over the batches that carried the counter; margin95 = 0 if the variance is 0, else
ceil(1.96 sqrt(var) - 0.5).

Python 3 standard library only; nothing here is taken from the collector's code.
SPDX-License-Identifier: GPL-3.0-or-later
"""

import argparse
import csv
import io
import datetime
import json
import math
import os
import random
import re
import subprocess
import sys
import urllib.error
import urllib.request

# The fixed seed: the same kiosks' traffic and noise on every run.
SEED = 16
EPSILON = 1.0
WEEKS = 26  # whole weeks posted before --today's week
WIRE_MIN, WIRE_MAX = -50, 50000  # a count's range on the wire

# Counters other than lang.* and page.*, in the collector's display order.
COUNTERS = ["sessions", "call.attempted", "call.connected", "call.failed", "read_aloud",
            "quick_exit"]

# Page ids of assets/content/pages.ini; the share of sessions that open each (page.call is the
# call screen's "what happens when you call" page, seen by most who press Call).
PAGES = {"rights": 0.38, "fees": 0.17, "signs": 0.14, "forced": 0.09, "travel": 0.12,
         "help": 0.27, "others": 0.06, "children": 0.05, "counts": 0.01}
CALL_PAGE_SHARE = 0.8

SITES = {
    "bkk": "Bangkok Suvarnabhumi Airport — Departures Hall",
    "mst": "Mae Sot Border Post",
    "kul": "Kuala Lumpur Migrant Workers' Centre",
    "dac": "Dhaka Hazrat Shahjalal Intl. Arrivals",
    "std": "Centre d'accueil Saint-Denis",
}

# Languages offered at each site and how often visitors pick them.
LANGS = {
    "bkk": {"en": 20, "th": 25, "my": 20, "km": 10, "ne": 8, "bn": 7, "tl": 6, "ar": 4},
    "mst": {"my": 60, "th": 20, "en": 8, "km": 7, "ne": 5},
    "kul": {"bn": 30, "ne": 25, "my": 20, "en": 10, "tl": 8, "ar": 7},
    "dac": {"bn": 70, "en": 15, "ar": 10, "ne": 5},
    "std": {"ar": 30, "en": 25, "bn": 15, "my": 10, "tl": 5, "ne": 5, "km": 5, "th": 5},
}

# The kiosks, in the order they are added. week_sessions: a typical week at the start of the
# period; growth: the factor reached by the end (a week stays within 20 to 400 sessions).
# Roles (issue 16's realism):
#   day      sends day buckets (days = 1) for the whole period
#   silent   sends nothing for three consecutive weeks
#   revoked  revoked partway; stops sending then
#   audio    its heartbeat's self-test says fail:audio
#   new      starts sending 8 weeks ago
KIOSKS = [
    {"site": "bkk", "week_sessions": 280, "growth": 1.25, "role": "day"},
    {"site": "bkk", "week_sessions": 240, "growth": 1.35, "role": ""},
    {"site": "bkk", "week_sessions": 150, "growth": 1.2, "role": ""},
    {"site": "mst", "week_sessions": 120, "growth": 1.6, "role": "audio"},
    {"site": "mst", "week_sessions": 90, "growth": 1.5, "role": "silent"},
    {"site": "kul", "week_sessions": 200, "growth": 1.3, "role": ""},
    {"site": "kul", "week_sessions": 140, "growth": 1.2, "role": ""},
    {"site": "kul", "week_sessions": 60, "growth": 1.1, "role": "revoked"},
    {"site": "dac", "week_sessions": 260, "growth": 1.3, "role": ""},
    {"site": "dac", "week_sessions": 70, "growth": 1.5, "role": "new"},
    {"site": "std", "week_sessions": 45, "growth": 1.4, "role": ""},
    {"site": "std", "week_sessions": 28, "growth": 1.3, "role": ""},
]
SILENT_WEEKS = (12, 11, 10)  # weeks before --today's week
REVOKED_AFTER = 10  # the revoked kiosk's last week is this many weeks before --today's week
NEW_FROM = 8  # the new kiosk's first week


class ReachError(Exception):
    """A failure to report in one line and exit 1."""


# The funnel's key pages, as app/stats/report.c names them.
KEY_PAGES = ["rights", "help"]


def day(s):
    """argparse type: a date YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {s!r}") from None


def monday(d):
    return d - datetime.timedelta(days=d.weekday())


# ------------------------------------------------------------------------------------------------
# seed


def geometric(rng, a):
    """Failures before the first success, success probability 1 - a (inversion: P(G >= k) = a^k)."""
    u = 1.0 - rng.random()  # (0, 1]
    return int(math.floor(math.log(u) / math.log(a)))


def noisy(rng, value, epsilon):
    """value plus two-sided geometric noise with parameter epsilon, kept in the wire's range."""
    a = math.exp(-epsilon)
    while True:
        v = value + geometric(rng, a) - geometric(rng, a)
        if WIRE_MIN <= v <= WIRE_MAX:
            return v


def binomial(rng, n, p):
    return sum(1 for _ in range(n) if rng.random() < p)


def true_counts(rng, kiosk, sessions, days):
    """One bucket's counts before noise for a kiosk with this many sessions in days days."""
    c = {"sessions": sessions}
    langs = LANGS[kiosk["site"]]
    picked = rng.choices(list(langs), weights=list(langs.values()), k=sessions)
    # a few leave before picking a language: the lang.* counters sum to a little under sessions
    picked = [code for code in picked if rng.random() >= 0.04]
    for code in langs:
        c["lang." + code] = picked.count(code)
    attempted = min(binomial(rng, sessions, 0.055), max(0, (sessions - 1) // 10))
    connected = binomial(rng, attempted, 0.72)
    c["call.attempted"] = attempted
    c["call.connected"] = connected
    c["call.failed"] = attempted - connected - binomial(rng, attempted - connected, 0.1)
    c["read_aloud"] = 0  # read-aloud does not exist yet on the kiosk (docs/counts.md)
    c["quick_exit"] = binomial(rng, sessions, 0.035)
    for page, share in PAGES.items():
        c["page." + page] = binomial(rng, sessions, share)
    c["page.call"] = binomial(rng, attempted, CALL_PAGE_SHARE)
    check_true_counts(c, days)
    return c


def check_true_counts(c, days):
    """The kiosk's own invariants before noise; a broken generator stops here, not in a chart."""
    langs = sum(v for n, v in c.items() if n.startswith("lang."))
    rules = [
        ((20 if days == 7 else 0) <= c["sessions"] <= 400,
         "sessions within 20..400 a week, at most 400 a day"),
        (langs <= c["sessions"], "lang.* sum to at most sessions"),
        (c["call.attempted"] * 10 < max(c["sessions"], 1), "call.attempted < sessions / 10"),
        (c["call.connected"] + c["call.failed"] <= c["call.attempted"],
         "call.connected + call.failed <= call.attempted"),
        (all(0 <= v <= c["sessions"] for v in c.values()), "every count within 0..sessions"),
    ]
    for ok, rule in rules:
        if not ok:
            raise ReachError(f"generated counts break the rule {rule}: {c}")


def week_sessions(rng, kiosk, weeks_ago):
    """A week's sessions: growth over the period, a quieter holiday stretch, week-to-week spread."""
    t = (WEEKS - weeks_ago) / (WEEKS - 1)
    level = kiosk["week_sessions"] * (1 + (kiosk["growth"] - 1) * t)
    if weeks_ago in (3, 4):
        level *= 0.8
    return min(400, max(20, round(level * rng.uniform(0.85, 1.15))))


def buckets(rng, kiosk, today):
    """The kiosk's buckets to post: (start, days, sessions), oldest first."""
    this_week = monday(today)
    out = []
    for weeks_ago in range(WEEKS, 0, -1):
        if kiosk["role"] == "silent" and weeks_ago in SILENT_WEEKS:
            continue
        if kiosk["role"] == "revoked" and weeks_ago < REVOKED_AFTER:
            continue
        if kiosk["role"] == "new" and weeks_ago > NEW_FROM:
            continue
        start = this_week - datetime.timedelta(weeks=weeks_ago)
        total = week_sessions(rng, kiosk, weeks_ago)
        if kiosk["role"] != "day":
            out.append((start, 7, total))
            continue
        # weekends busier at the airport
        shares = [1, 1, 1, 1.1, 1.3, 1.4, 1.2]
        for i, s in enumerate(shares):
            out.append((start + datetime.timedelta(days=i), 1, round(total * s / sum(shares))))
    if kiosk["role"] == "day":  # this week's days that have ended
        level = kiosk["week_sessions"] * kiosk["growth"] / 7
        d = this_week
        while d < today:
            out.append((d, 1, max(0, round(level * rng.uniform(0.8, 1.2)))))
            d += datetime.timedelta(days=1)
    return out


def post(base, token, path, body):
    """POST JSON with the kiosk's token; returns (status, reply text)."""
    req = urllib.request.Request(
        base.rstrip("/") + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except urllib.error.URLError as e:
        raise ReachError(f"{base}{path}: {e.reason}") from None


def stats_cli(args, *command):
    """Run BIN --db URL COMMAND...; returns (stdout, stderr)."""
    argv = [args.stats, "--db", args.db, *command]
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except OSError as e:
        raise ReachError(f"{args.stats}: {e.strerror}") from None
    if p.returncode != 0:
        raise ReachError(f"{' '.join(argv)}: exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout, p.stderr


def kiosk_add(args, site):
    out, err = stats_cli(args, "kiosk", "add", "--", site)
    token = out.strip()
    m = re.search(r"kiosk (\d+) added", err)
    if not re.fullmatch(r"[0-9a-f]{64}", token) or not m:
        raise ReachError(f"kiosk add {site!r}: unexpected output {out!r} {err!r}")
    return int(m.group(1)), token


def seed(args):
    rng = random.Random(SEED)
    os.makedirs(args.out, exist_ok=True)
    kiosks = []
    for k in KIOSKS:
        kid, token = kiosk_add(args, SITES[k["site"]])
        kiosks.append(dict(k, id=kid, token=token, name=SITES[k["site"]]))

    stored = []
    for k in kiosks:
        for start, days, sessions in buckets(rng, k, args.today):
            counts = true_counts(rng, k, sessions, days)
            counts = {n: noisy(rng, v, EPSILON) for n, v in counts.items()}
            body = {"schema": 1, "batch": f"{rng.getrandbits(128):032x}",
                    "bucket": {"start": start.isoformat(), "days": days},
                    "noise": {"mech": "geometric", "epsilon": EPSILON}, "counts": counts}
            status, reply = post(args.base, k["token"], "/api/v1/batches", body)
            if status != 201:
                raise ReachError(f"kiosk {k['id']} bucket {start} ({days} d): {status} {reply}")
            stored.append({"kiosk": k["id"], "site": k["name"], "start": start.isoformat(),
                           "days": days, "epsilon": EPSILON, "counters": counts})
        if k["role"] == "revoked":
            last_day = monday(args.today) - datetime.timedelta(weeks=REVOKED_AFTER - 1)
            status, reply = post(args.base, k["token"], "/api/v1/heartbeat",
                                 heartbeat(k, last_day))
            if status != 204:
                raise ReachError(f"kiosk {k['id']} heartbeat {last_day}: {status} {reply}")
            stats_cli(args, "kiosk", "revoke", str(k["id"]))
            status, _ = post(args.base, k["token"], "/api/v1/heartbeat", heartbeat(k, args.today))
            if status != 403:
                raise ReachError(f"revoked kiosk {k['id']}: heartbeat answered {status}, not 403")

    beats = 0
    for k in kiosks:
        if k["role"] == "revoked":
            continue
        for back in (2, 1, 0):
            hb = heartbeat(k, args.today - datetime.timedelta(days=back))
            status, reply = post(args.base, k["token"], "/api/v1/heartbeat", hb)
            if status != 204:
                raise ReachError(f"kiosk {k['id']} heartbeat {hb['day']}: {status} {reply}")
            beats += 1

    path = os.path.join(args.out, "batches.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"schema": 1, "seed": SEED, "today": args.today.isoformat(),
                   "kiosks": [{"id": k["id"], "site": k["name"], "role": k["role"]}
                              for k in kiosks],
                   "batches": stored}, f, ensure_ascii=False, indent=1)
    print(f"reach: {len(kiosks)} kiosks at {len(SITES)} sites, {len(stored)} batches stored, "
          f"{beats} heartbeats; wrote {path}")


def heartbeat(kiosk, d):
    return {"schema": 1, "day": d.isoformat(), "version": "1.2.0", "spool_depth": 0,
            "clock": "trusted",
            "self_test": "fail:audio" if kiosk["role"] == "audio" else "pass"}


# ------------------------------------------------------------------------------------------------
# expect


def noise_var(epsilon):
    """Variance of one two-sided geometric noise with parameter epsilon (0 without noise)."""
    if not epsilon or epsilon <= 0:
        return 0.0
    a = math.exp(-epsilon)
    return 2 * a / (1 - a) ** 2


def margin95(var):
    return 0 if var == 0 else math.ceil(1.96 * math.sqrt(var) - 0.5)


class Sum:
    """A noisy sum: the value, the batches that carried the counter, and its noise variance."""

    def __init__(self):
        self.value = 0
        self.batches = 0
        self.var = 0.0

    def add(self, values, epsilon):
        """Add one batch's counters (a list: more than one for several chosen languages)."""
        if not values:
            return
        self.value += sum(values)
        self.batches += 1
        self.var += len(values) * noise_var(epsilon)

    def json(self):
        return {"value": self.value, "batches": self.batches, "var": round(self.var, 6),
                "margin95": margin95(self.var)}


def attribution_day(b):
    start = datetime.date.fromisoformat(b["start"])
    if b["days"] == 1:
        return start
    if b["days"] == 7:
        return start + datetime.timedelta(days=3)
    raise ReachError(f"batch of kiosk {b['kiosk']} at {b['start']}: days {b['days']}")


def load_batches(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise ReachError(f"{path}: {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("batches"), list):
        raise ReachError(f"{path}: not a batches file written by reach.py seed")
    return doc["batches"]


def batch_values(b, name, langs):
    """The values a batch gives a counter: sessions split by the chosen languages."""
    c = b["counters"]
    if name == "sessions" and langs:
        return [c["lang." + code] for code in langs if "lang." + code in c]
    return [c[name]] if name in c else []


def expect(batches, first, last, sites, langs):
    total = {n: Sum() for n in COUNTERS}
    weeks, by_site, by_lang, by_page, week_batches, site_weeks = {}, {}, {}, {}, {}, {}
    summed = 0
    site_names = COUNTERS + ["page." + p for p in KEY_PAGES]
    for b in batches:
        if sites and b["site"] not in sites:
            continue
        d = attribution_day(b)
        if not first <= d <= last:
            continue
        summed += 1
        week = monday(d).isoformat()
        week_batches[week] = week_batches.get(week, 0) + 1
        site = by_site.setdefault(b["site"], {n: Sum() for n in site_names})
        site_week = site_weeks.setdefault(f'{b["site"]}|{week}', {n: Sum() for n in COUNTERS})
        for name in site_names:
            v = batch_values(b, name, langs)
            site[name].add(v, b["epsilon"])
            if name in COUNTERS:
                site_week[name].add(v, b["epsilon"])
            if name in COUNTERS:
                for table in (total, weeks.setdefault(week, {n: Sum() for n in COUNTERS})):
                    table[name].add(v, b["epsilon"])
        for name, v in b["counters"].items():
            kind, _, key = name.partition(".")
            if kind == "lang" and (not langs or key in langs):
                by_lang.setdefault(key, Sum()).add([v], b["epsilon"])
            elif kind == "page":
                by_page.setdefault(key, Sum()).add([v], b["epsilon"])

    def table(t):
        return {n: s.json() for n, s in t.items()}

    return {
        "from": first.isoformat(), "to": last.isoformat(), "sites": sorted(sites),
        "langs": sorted(langs), "batches": summed,
        "total": table(total),
        "weeks": {w: table(weeks[w]) for w in sorted(weeks)},
        "week_batches": week_batches,
        "site_weeks": {k: table(site_weeks[k]) for k in sorted(site_weeks)},
        "by_site": {s: table(by_site[s]) for s in sorted(by_site)},
        "by_lang": {k: by_lang[k].json() for k in sorted(by_lang)},
        "by_page": {k: by_page[k].json() for k in sorted(by_page)},
    }


def check_range(first, last):
    if last < first:
        raise ReachError(f"--to {last} is before --from {first}")


def cmd_expect(args):
    check_range(args.first, args.last)
    batches = load_batches(args.batches)
    known = {b["site"] for b in batches}
    for site in args.site or []:
        if site not in known:  # a typo would silently give zeros
            raise ReachError(f"--site {site!r}: no batch has this site; sites: {sorted(known)}")
    for code in args.lang or []:
        if not re.fullmatch(r"[a-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,2}", code):
            raise ReachError(f"--lang {code!r}: not a language code (es, pt-BR, zh-Hans)")
    out = expect(batches, args.first, args.last, set(args.site or []), set(args.lang or []))
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()


# ------------------------------------------------------------------------------------------------
# csv-check


def csv_pair_ok(row, name, want):
    """Column name and name_margin95 of a CSV row against a sum of expect: the value and its
    margin, or both empty for a value below 5 (the collector's suppression)."""
    cell, margin = row.get(name), row.get(name + "_margin95")
    if cell == "":
        return margin == "" and want["value"] < 5 and row.get("suppressed") == "1"
    try:
        return int(cell) == want["value"] and int(margin) == want["margin95"]
    except (TypeError, ValueError):
        return False


def csv_expected(want, by):
    """The CSV's key column, count columns and rows as {key: {column: sum}} from expect."""
    if by == "week":
        return "week", COUNTERS, want["weeks"]
    if by == "site":
        return "site", COUNTERS + ["page." + p for p in KEY_PAGES], want["by_site"]
    if by == "site-week":
        return "site|week", COUNTERS, want["site_weeks"]
    if by == "language":
        return "language", ["sessions"], {k: {"sessions": v} for k, v in want["by_lang"].items()}
    return "page", ["views"], {k: {"views": v} for k, v in want["by_page"].items()}


def cmd_csv_check(args):
    """The collector's CSV export against expect, cell by cell: every count and its margin."""
    check_range(args.first, args.last)
    want = expect(load_batches(args.batches), args.first, args.last, set(args.site or []),
                  set(args.lang or []))
    key, names, rows_want = csv_expected(want, args.by)
    try:
        with open(args.csv, encoding="utf-8", newline="") as f:
            text = f.read()
    except OSError as e:
        raise ReachError(f"{args.csv}: {e.strerror}") from None
    if not text.startswith("\ufeff"):
        raise ReachError(f"{args.csv}: no UTF-8 byte-order mark at the start")
    reader = csv.DictReader(io.StringIO(text[1:]))
    missing = [n for n in key.split("|") + names + [n + "_margin95" for n in names] +
               ["suppressed"] if n not in (reader.fieldnames or [])]
    if missing:
        raise ReachError(f"{args.csv}: columns {missing} missing from {reader.fieldnames}")
    bad = cells = 0
    seen = set()
    for row in reader:
        k = "|".join(row[part] for part in key.split("|"))
        if args.by == "site-week" and not any(row[n] for n in names) and k not in rows_want:
            continue  # a week the site sent nothing for: every count empty
        if args.by == "week" and row["no_data"] == "1":
            if k in rows_want or any(row[n] for n in names):
                bad += 1
                print(f"MISMATCH week {k}: no_data in the CSV, expected {k in rows_want}")
            continue
        seen.add(k)
        w = rows_want.get(k)
        if w is None:
            bad += 1
            print(f"MISMATCH {args.by} {k}: in the CSV, not in the batches")
            continue
        if args.by == "week" and int(row["batches"]) != want["week_batches"][k]:
            bad += 1
            print(f"MISMATCH week {k}: {row['batches']} batches, expected {want['week_batches'][k]}")
        for name in names:
            cells += 1
            if not csv_pair_ok(row, name, w[name]):
                bad += 1
                print(f"MISMATCH {args.by} {k} {name}: csv {row[name]} ± {row[name + '_margin95']}"
                      f", expected {w[name]['value']} ± {w[name]['margin95']}")
    for k in sorted(set(rows_want) - seen):
        bad += 1
        print(f"MISMATCH {args.by} {k}: missing from the CSV")
    t = want["total"]["sessions"]
    print(f"csv-check by {args.by}, {args.first} to {args.last}, sites {args.site or 'all'}, "
          f"languages {args.lang or 'all'}: {cells} cells in {len(seen)} rows, {bad} mismatches; "
          f"sessions {t['value']} ± {t['margin95']} over {want['batches']} batches")
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("seed", help="add kiosks and post six months of batches")
    s.add_argument("--base", required=True, help="the collector, http://127.0.0.1:PORT")
    s.add_argument("--stats", required=True, help="the openline-stats binary")
    s.add_argument("--db", required=True, help="the collector's --db URL")
    s.add_argument("--today", required=True, type=day, help="YYYY-MM-DD (the server's today)")
    s.add_argument("--out", required=True, help="folder for batches.json")
    for name, helptext in (("expect", "print the sums for a period and filter"),
                           ("csv-check", "compare an /export.csv with the sums")):
        e = sub.add_parser(name, help=helptext)
        e.add_argument("--batches", required=True, help="batches.json written by seed")
        e.add_argument("--from", dest="first", required=True, type=day)
        e.add_argument("--to", dest="last", required=True, type=day)
        e.add_argument("--site", action="append", help="only kiosks at this site")
        e.add_argument("--lang", action="append", help="sessions in this language")
        if name == "csv-check":
            e.add_argument("--csv", required=True, help="the export of the same range")
            e.add_argument("--by", choices=("week", "site", "site-week", "language", "page"), default="week",
                           help="the export's grouping (default week)")
    args = p.parse_args()
    try:
        if args.cmd == "seed":
            seed(args)
            return 0
        if args.cmd == "expect":
            cmd_expect(args)
            return 0
        return cmd_csv_check(args)
    except ReachError as e:
        print(f"reach.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
