"""docs/benchmarks.md: only the part between the assistance-bench markers."""

import re
from pathlib import Path

from regbench.common import write_section

START = "<!-- assistance-bench:start -->"
END = "<!-- assistance-bench:end -->"
GIVE_P99_MS = 20
REDEMPTIONS_PER_S = 300
TALLY_MARKERS = {
    'SUM("assistance_stockentry"."quantity")': "stock balance (SUM over the point's ledger)",
    'FROM "assistance_scanlog" WHERE': "scans by outcome (GROUP BY over the point's scan log)",
    'COUNT(*) AS "__count" FROM "assistance_redemption"': "served (COUNT of the redemptions)",
    'COUNT(*) AS "__count" FROM "assistance_allocation"': "planned (COUNT of the allocations)",
}


def _verdict(ok: bool) -> str:
    return "**pass**" if ok else "**FAIL**"


def _ms(value) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _triple(stats: dict | None) -> str:
    if not stats or not stats.get("n"):
        return "–"
    return f"{_ms(stats['p50'])} / {_ms(stats['p95'])} / {_ms(stats['p99'])}"


# The give's own hand-written statements (assistance.services, core.api_auth).
OWN_STATEMENTS = {
    "LEFT JOIN assistance_rationcard rc": "SELECT the give's facts (point and cycle in scope, "
    "card, household, previous redemption, closed day, cycle sites, allocation, size, needs, "
    "rules fingerprint)",
    'core_user" u ON': "SELECT core_apitoken + core_user by key",
    "WITH w0 AS (INSERT": "INSERT redemption + ledger lines + scan log (one statement)",
}


def _sql_label(sql: str) -> str:
    """A short name for a statement: its verb and table, and what it filters or groups on."""
    for marker, label in {**TALLY_MARKERS, **OWN_STATEMENTS}.items():
        if marker in sql:
            return f"tally: {label}" if marker in TALLY_MARKERS else label
    verb = sql.split(None, 1)[0].upper()
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
    where = re.search(r"WHERE (.*?)(?: ORDER BY| GROUP BY| LIMIT|$)", sql)
    columns = (
        sorted(set(re.findall(r'"\w+"\."(\w+)" (?:=|IN|IS)', where.group(1)))) if where else []
    )
    if table is None:
        return " ".join(sql.split()[:2])  # BEGIN IMMEDIATE, COMMIT, SAVEPOINT ...
    text = f"{verb} {table.group(1)}"
    return text + (f" by {', '.join(columns)}" if columns else "")


def tally_ms(statements: dict | None) -> float:
    if not statements:
        return 0.0
    return sum(
        row["ms_per_request"]
        for row in statements["give_top"]
        if any(marker in row["sql"] for marker in TALLY_MARKERS)
    )


def header(results: dict) -> list[str]:
    run, m = results["run"], results["run"]["machine"]
    versions = [f"Python {m['python']}", f"SQLite {m['sqlite']}"]
    api = results.get("api")
    if api:
        versions += [f"PostgreSQL {api['build']['server_version']}", api["server"]["version"]]
    load = run["load_average_start"]
    dirty = " with uncommitted changes in src/" if run.get("src_dirty") else ""
    return [
        "## Assistance: redemption at a distribution point",
        "",
        f"Measured {run['date'][:16].replace('T', ' ')} on {m['cpu']}, {m['nproc']} cores, "
        f"{m['ram_gib']:.0f} GiB, {m['os']}; {', '.join(versions)}. "
        f"Last run `.venv/bin/python {run['command']}` (seed {run['seed']}), code at commit "
        f"{run.get('commit') or '?'}{dirty}; each part below says when, at which commit and "
        "by which command it was measured.",
        "",
        f"The machine was shared with other work: one-minute load average {load[0]:.1f} at the "
        f"start and {run['load_average_end'][0]:.1f} at the end, on {m['nproc']} cores. Wall "
        "times below are inflated by that; the CPU-time columns show what a request itself cost.",
        "",
    ]


def _when(part: dict) -> list[str]:
    if not part.get("measured_at"):
        return []
    commit = f" at commit {part['commit']}" if part.get("commit") else ""
    command = f" by `.venv/bin/python {part['command']}`" if part.get("command") else ""
    start, end = part["load_average_start"][0], part["load_average_end"][0]
    return [
        f"Measured {part['measured_at'][:16].replace('T', ' ')}{commit}{command}, "
        f"one-minute load average {start:.1f} when measuring began and {end:.1f} at the end.",
        "",
    ]


def floors(results: dict) -> list[str]:
    lines = ["| Floor | Measured | |", "|---|---:|---|"]
    field = results.get("field")
    if field:
        p99 = field["early"]["give"]["p99"]
        lines.append(
            f"| Give through the view on SQLite, p99 ≤ {GIVE_P99_MS} ms "
            f"({field['requests']:,} cards, start of the cycle) | {_ms(p99)} ms "
            f"| {_verdict(p99 <= GIVE_P99_MS)} |"
        )
        late = field.get("late")
        if late:
            p99 = late["give"]["p99"]
            lines.append(
                f"| The same near the cycle's end ({late['already_served']:,} of "
                f"{field['build']['households']:,} already served; not a floor of the issue) "
                f"| {_ms(p99)} ms | {_verdict(p99 <= GIVE_P99_MS)} |"
            )
    api = results.get("api")
    if api:
        rate, v = api["redemptions_per_s"], api["verify"]
        lines.append(
            f"| Redemptions/s through the API on PostgreSQL, {api['clients']} clients, "
            f"≥ {REDEMPTIONS_PER_S} | {rate:,.0f}/s | {_verdict(rate >= REDEMPTIONS_PER_S)} |"
        )
        clean = (
            v["doubles"] == 0
            and v["repeats_not_answered_409"] == 0
            and v["cards_without_exactly_one_201"] == 0
        )
        lines.append(
            f"| No double redemption ({api['repeats_sent']:,} repeated cards, "
            f"{api['races_sent']:,} of them racing), every repeat answered 409 "
            f"| {v['doubles']} doubles, {v['repeats_not_answered_409']} repeats not 409 "
            f"| {_verdict(clean)} |"
        )
    return lines + [""]


def _earlier(run: dict) -> str:
    """The opening of a sentence on an earlier run: when, at which commit, at what load."""
    return (
        f"An earlier run ({run['measured_at'][:16].replace('T', ' ')}, commit "
        f"{run.get('commit') or '?'}; one-minute load average "
        f"{run['load_average_start'][0]:.1f} when measuring began and "
        f"{run['load_average_end'][0]:.1f} at the end"
    )


def field_section(f: dict) -> list[str]:
    b = f["build"]
    early, late = f["statements_early"], f.get("statements_late")
    lines = [
        "### 1. A field laptop: SQLite, through the point screen",
        "",
        *_when(f),
        f"A fresh SQLite file (WAL, the settings' PRAGMAs): {b['households']:,} households "
        f"({b['people']:,} people) generated at one camp by `generate_households` (seed "
        f"{b['seed']}), the demo's programme rules, an open cycle, a point stocked from a "
        f"warehouse through a dispatch, and {b['cards_issued']:,} cards from "
        f"`cards_issue_for_cycle`; built in {b['build_seconds']:.0f} s, "
        f"{f['database_mib']:,} MiB. A distribution operator (role `distribution`, scoped to "
        "the camp) works the screen with Django's test Client, with DEBUG off: POST `scan/` "
        "with the card's code, then POST `give/`, card after card, each request timed from "
        "`client.post` to its response (middleware, session, view, template).",
        "",
        "| Request | n | wall p50 / p95 / p99 ms | max ms | CPU p50 / p99 ms "
        "| statements | of which SQL ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]

    def row(label, stats, cpu=None, statements=None, sql=None):
        cpu_text = f"{_ms(cpu['p50'])} / {_ms(cpu['p99'])}" if cpu else "–"
        return (
            f"| {label} | {stats['n']:,} | {_triple(stats)} | {_ms(stats['max'])} | {cpu_text} "
            f"| {statements if statements is not None else '–'} "
            f"| {_ms(sql) if sql is not None else '–'} |"
        )

    e = f["early"]
    lines += [
        row(
            "scan (look-up), start of the cycle",
            e["scan"],
            e["scan_cpu"],
            early["scan_statements_per_request"],
            early["scan_sql_ms_per_request"],
        ),
        row(
            "**give**, start of the cycle",
            e["give"],
            e["give_cpu"],
            early["give_statements_per_request"],
            early["give_sql_ms_per_request"],
        ),
        row("give refused (already collected), start", f["already_early"]),
    ]
    if f.get("late"):
        la = f["late"]
        served = f"{la['already_served']:,} served"
        lines += [
            row(
                f"scan, near the end ({served})",
                la["scan"],
                la["scan_cpu"],
                late["scan_statements_per_request"],
                late["scan_sql_ms_per_request"],
            ),
            row(
                f"**give**, near the end ({served})",
                la["give"],
                la["give_cpu"],
                late["give_statements_per_request"],
                late["give_sql_ms_per_request"],
            ),
            row("give refused (already collected), end", f["already_late"]),
        ]
    for run in f.get("earlier", []):
        lines += [
            "",
            f"{_earlier(run)}) measured the give at the start of the "
            f"cycle at p50 / p95 / p99 {_triple(run['give'])} ms, CPU p50 / p99 "
            f"{_cpu(run['give_cpu'])} ms"
            f"{'' if run['give']['p99'] <= GIVE_P99_MS else ' (**FAIL**)'}.",
        ]
    tenths = ", ".join(_ms(x) for x in e["give_p99_by_tenth"])
    lines += [
        "",
        f"Give p99 by tenth of the {f['requests']:,} cards, in order: {tenths} ms.",
        "",
    ]
    if f.get("fill_seconds"):
        lines += [
            "Between the two, the rest of the camp's cards were given straight through "
            f"`redemption_record` ({f['fill_seconds']:.0f} s), so that the second row is the "
            "screen as it is on the last days of a cycle.",
            "",
        ]
    lines += ["Costliest statements of a give (SQL time per request, every statement timed):", ""]
    lines += ["| Statement | start: ms | end: ms |", "|---|---:|---:|"]
    late_rows = {r["sql"]: r for r in (late or {}).get("give_top", [])}
    shown = []
    for r in early["give_top"][:6] + list(late_rows.values())[:6]:
        if r["sql"] not in shown:
            shown.append(r["sql"])
    early_rows = {r["sql"]: r for r in early["give_top"]}
    for sql in shown:
        a, z = early_rows.get(sql), late_rows.get(sql)
        lines.append(
            f"| {_sql_label(sql)} | {_ms(a['ms_per_request']) if a else '< top 8'} "
            f"| {_ms(z['ms_per_request']) if z else ('–' if not late else '< top 8')} |"
        )
    if f.get("failures"):
        lines += ["", f"Unexpected responses: {f['failures']}."]
    return lines + [""]


def server_cpu_seconds(cpu: dict) -> float:
    """CPU seconds of the server's processes (named gunicorn_workers_s in older results)."""
    return cpu.get("server_s", cpu.get("gunicorn_workers_s", 0.0))


def _server_origin(s: dict) -> str:
    if s["command"].startswith("mawa serve"):
        return " (`mawa serve`, the production server Mawa ships: README, Serving)"
    return (
        " (to compare; from the optional `bench` group of pyproject.toml, "
        "`.venv/bin/pip install -e '.[bench]'`, which `make bench` runs)"
    )


def api_section(a: dict) -> list[str]:
    b, s, v, cpu, p = a["build"], a["server"], a["verify"], a["cpu"], a["probe"]
    st = a["statuses"]
    other = sum(n for code, n in st.items() if code not in ("201", "409"))
    lines = [
        f"### 2. The API on PostgreSQL: {a['clients']} concurrent clients",
        "",
        *_when(a),
        f"The same scenario built in PostgreSQL ({b['households']:,} households, "
        f"{b['cards_issued']:,} cards, VACUUM ANALYZE after the build; {b['build_seconds']:.0f} s)."
        f" Served by {s['version']}{_server_origin(s)} as "
        f"`{s['command']}`, with DEBUG off, `MAWA_HTTPS=0`, "
        "`MAWA_ALLOWED_HOSTS=127.0.0.1`, persistent database connections (`CONN_MAX_AGE` 60). "
        f"{a['clients']} client threads in {a['client_processes']} processes on the same machine "
        "POST `/api/v1/redemptions` with `{cycle, card, point}` and one operator's Bearer "
        f"token: {a['distinct_cards']:,} distinct cards plus {a['repeats_sent']:,} repeats "
        f"({a['races_sent']:,} sent at once by another client, racing the first request; the "
        "rest a few rounds later), bounded by that count and by time"
        f"{' (the time bound was reached)' if a['timed_out'] else ''}.",
        "",
        "| Requests | 201 | 409 | other | seconds | **redemptions/s** | requests/s "
        "| latency p50 / p95 / p99 ms (all) | 201 | 409 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {a['requests_sent']:,} | {st.get('201', 0):,} | {st.get('409', 0):,} | {other:,} "
        f"| {a['seconds']:.1f} | **{a['redemptions_per_s']:,.0f}** | {a['requests_per_s']:,.0f} "
        f"| {_triple(a['latency'])} | {_triple(a['latency_201'])} | {_triple(a['latency_409'])} |",
        "",
        f"CPU during the load: the server's processes {server_cpu_seconds(cpu):.0f} s, PostgreSQL "
        f"backends {cpu['postgres_backends_s']:.0f} s, the clients {cpu['clients_s']:.0f} s, "
        f"over {a['seconds']:.0f} s on {a.get('nproc', 2)} cores; the machine was "
        f"{(cpu['machine_busy'] or 0) * 100:.0f} % busy (other work included). Per redemption: "
        f"{1000 * server_cpu_seconds(cpu) / max(st.get('201', 1), 1):.1f} ms of app CPU and "
        f"{1000 * cpu['postgres_backends_s'] / max(st.get('201', 1), 1):.1f} ms of database CPU.",
        "",
    ]
    for run in a.get("earlier", []):
        lines += [
            f"{_earlier(run)}"
            f"{', served by ' + run['server'] if run.get('server') else ''}): "
            f"{run['redemptions_per_s']:,.0f} redemptions/s, "
            f"{run['app_cpu_ms_per_request']:.1f} ms of app CPU per request, "
            f"the benchmark's processes using {100 * run['share_of_machine']:.0f} % of the "
            "machine's CPU.",
            "",
        ]
    lines += [
        "Checked in the database afterwards:",
        "",
        f"- double redemptions (more than one per household and cycle): **{v['doubles']}**;",
        f"- cards sent that did not get exactly one 201: {v['cards_without_exactly_one_201']}; "
        f"repeats not answered 409: {v['repeats_not_answered_409']} (of {v['repeat_requests']:,});",
        f"- 201 without a redemption row: {v['201_without_redemption']}; redemption rows "
        f"without a 201: {v['redemption_without_201']};",
        f"- redemptions whose ledger lines do not match their items: "
        f"{v['redemptions_whose_ledger_lines_disagree']}; distribution lines without a "
        f"redemption: {v['distribution_lines_without_redemption']};",
        f"- scan log: {', '.join(f'{k} {n:,}' for k, n in sorted(v['scanlog'].items()))}.",
        "",
        f"In process (Django's test Client, same database), one API redemption runs "
        f"{p['statements_per_request']:.0f} statements, {p['sql_ms_per_request']:.1f} ms of SQL in "
        f"{p['request_ms_mean']:.1f} ms; the costliest:",
        "",
        "| Statement | calls | ms per request |",
        "|---|---:|---:|",
    ]
    by_label: dict[str, list[float]] = {}
    for r in p["top"]:  # statements differing only in their number of rows, as one
        calls_ms = by_label.setdefault(_sql_label(r["sql"]), [0.0, 0.0])
        calls_ms[0] += r["calls_per_request"]
        calls_ms[1] += r["ms_per_request"]
    for label, (calls, ms) in list(by_label.items())[:6]:
        lines.append(f"| {label} | {calls:.2g} | {_ms(ms)} |")
    if a["errors"]:
        lines += ["", f"Other answers seen: {'; '.join(a['errors'])}."]
    return lines + [""]


def _cpu(stats: dict | None) -> str:
    return f"{_ms(stats['p50'])} / {_ms(stats['p99'])}" if stats else "–"


def field_findings(f: dict) -> list[str]:
    e, st = f["early"], f["statements_early"]
    wall, cpu = e["give"], e["give_cpu"]
    load = f"{f['load_average_start'][0]:.1f}–{f['load_average_end'][0]:.1f}"
    ok = wall["p99"] <= GIVE_P99_MS
    text = (
        f"- **Give at the start of the cycle: p99 {_ms(wall['p99'])} ms against the floor of "
        f"{GIVE_P99_MS} ms, {'met' if ok else 'missed'}** (p50 {_ms(wall['p50'])} ms; CPU p50 / "
        f"p99 {_cpu(cpu)} ms). A give runs {st['give_statements_per_request']:.0f} statements, "
        f"{_ms(st['give_sql_ms_per_request'])} ms of them inside SQLite: the session's read and "
        "the user's (AuthenticationMiddleware), the give's one hand-written SELECT (point and "
        "cycle in the operator's scope, card, household, previous redemption, closed day, the "
        "cycle's sites, allocation, size, needs and a fingerprint of the programme's rules, "
        "whose objects and entitlements a process keeps under that fingerprint), and in one "
        "transaction (BEGIN IMMEDIATE … COMMIT) the INSERTs of the redemption, its ledger "
        "lines and the scan log (each built once per process). Not on every give: the "
        "session's UPDATE (IdleSessionMiddleware renews it every five minutes) and the field "
        "app's question whether this database is a node (its listener of "
        "`redemption_recorded` keeps the answer for ten seconds)."
    )
    if not ok and cpu and cpu["p99"] <= GIVE_P99_MS:
        text += (
            f" The request itself fits: its CPU p99 is {_ms(cpu['p99'])} ms; the wall-time "
            f"tail is time spent waiting for a core, with a load average of {load} on "
            f"{f.get('nproc', 2)} cores from other work. On an idle machine the wall time "
            "would be close to the CPU time; that was not measured here."
        )
    elif not ok:
        text += f" Even the CPU time alone misses the floor (load average {load})."
    missed = [r for r in f.get("earlier", []) if r["give"]["p99"] > GIVE_P99_MS]
    if ok and missed:
        r = missed[0]
        text += (
            f" It depends on the machine being free: an earlier run at a load average of "
            f"{r['load_average_start'][0]:.1f} missed it (p99 {_ms(r['give']['p99'])} ms) with "
            f"a CPU p99 of {_ms(r['give_cpu']['p99'])} ms, the rest of its tail waiting for a "
            "core."
        )
    lines = [text]
    la = f.get("late")
    if la:
        grows = la["give_cpu"]["p50"] > 1.5 * cpu["p50"]
        lines.append(
            f"- **Near the cycle's end ({la['already_served']:,} served) the give "
            f"{'still grows' if grows else 'costs what it costs at the start'}:** p50 / p99 "
            f"{_ms(la['give']['p50'])} / {_ms(la['give']['p99'])} ms, CPU p50 / p99 "
            f"{_cpu(la['give_cpu'])} ms (start: {_cpu(cpu)} ms). Nothing a give reads is "
            "linear in what the point has already given (the tally is no longer computed on "
            "a give; the screen asks `tally/` for it)."
        )
    lines.append(
        "- Left: the `tally/` endpoint, which each screen asks for every ten seconds and "
        "after each give, still sums the point's whole ledger and its redemptions in the "
        "cycle, so it grows with the point's history; a balance checkpointed at each day's "
        "close (plus the entries after it) would keep it flat."
    )
    return lines


def findings(results: dict) -> list[str]:
    lines = ["### Findings", ""]
    if results.get("field"):
        results["field"]["nproc"] = results["run"]["machine"]["nproc"]
        lines += field_findings(results["field"])
    if results.get("api"):
        lines += api_findings(results["api"])
    return lines + [""]


def _middleware(cal: dict) -> str:
    mw = cal.get("middleware")
    if not mw:
        return ""
    costs = sorted(mw["by_middleware_ms"].items(), key=lambda item: -item[1])
    top = ", ".join(f"`{name.rsplit('.', 1)[-1]}` {cost:.2f}" for name, cost in costs[:3])
    return (
        f" The middleware chain costs {mw['all_ms'] - mw['none_ms']:.2f} ms of CPU per API "
        f"request (median of {mw['requests_each']:,} requests each with settings' first k "
        f"middleware, k = 0 … {len(costs)}: {_ms(mw['none_ms'])} ms with none, "
        f"{_ms(mw['all_ms'])} ms with all); the largest steps: {top} ms — steps of a few "
        "tenths of a millisecond and less are within the noise of a shared machine. No one "
        "middleware is worth reordering or skipping for the API."
    )


def api_findings(a: dict) -> list[str]:
    rate, cpu, nproc = a["redemptions_per_s"], a["cpu"], a.get("nproc", 2)
    sent = max(a["requests_sent"], 1)
    app, db = 1000 * server_cpu_seconds(cpu) / sent, 1000 * cpu["postgres_backends_s"] / sent
    client = 1000 * cpu["clients_s"] / sent
    ceiling = 1000 * nproc / (app + db + client)
    used = server_cpu_seconds(cpu) + cpu["postgres_backends_s"] + cpu["clients_s"]
    share = 100 * used / max(a["seconds"] * nproc, 1)
    cal = a.get("calibration") or {}
    probe = a["probe"]
    ok = rate >= REDEMPTIONS_PER_S
    text = (
        f"- **The API: {rate:,.0f} redemptions/s against the floor of {REDEMPTIONS_PER_S}, "
        f"{'met' if ok else 'missed'}.** During the load the server's processes "
        f"({a['server']['version']}) used {app:.1f} "
        f"ms of CPU per request, PostgreSQL {db:.1f} ms and the clients {client:.1f} ms; at "
        f"that cost the {nproc} cores would serve about {ceiling:,.0f} requests/s with nothing "
        f"else running. They had far less: the machine was "
        f"{(cpu['machine_busy'] or 0) * 100:.0f} % busy, and the server, its database and the "
        f"clients together used {share:.0f} % of its CPU; the rest went to other processes "
        "(other people's benchmarks and tests were running) and to work charged to no process "
        "(the kernel's, for one). "
    )
    if cal:
        text += (
            "CPU of one request in process, by outcome: no token (401, "
            f"{cal['401']['statements']:g} statements) {_ms(cal['401']['cpu_ms_median'])} ms; "
            f"a bad code (404, {cal['404']['statements']:g}) "
            f"{_ms(cal['404']['cpu_ms_median'])} ms; a repeat (409, "
            f"{cal['409']['statements']:g}) {_ms(cal['409']['cpu_ms_median'])} ms; a "
            f"redemption (201, {cal['201']['statements']:g}) "
            f"{_ms(cal['201']['cpu_ms_median'])} ms."
        )
    lines = [text]
    lines.append(
        f"- A redemption runs {probe['statements_per_request']:.0f} statements and commits "
        "once: the token with its user (one hand-written SELECT; `last_used_at` written at "
        "most every five minutes), the give's facts (the same SELECT as the screen's, with "
        "the point and cycle checked against the user's sites in it), one INSERT … WITH of "
        "the redemption, its ledger lines and the scan log. On PostgreSQL all three are "
        "prepared statements once a connection has run them five times (`core/prepared.py`): "
        "PostgreSQL plans the facts SELECT in about 0.7 ms and runs it in 0.16 ms, so "
        "planning was most of its CPU. The database's unique constraint "
        "`one_redemption_a_cycle` stays the last word: a racing repeat fails on it and is "
        "answered 409." + _middleware(cal)
    )
    server = a["server"]["version"]
    others = [r for r in a.get("earlier", []) if r.get("server") and r["server"] != server]
    if others:
        other = others[0]
        lines.append(
            f"- The server matters: {server} used {app:.1f} ms of CPU per request where "
            f"{other['server']} (an earlier run above"
            f"{', same code' if other.get('commit') == a.get('commit') else ''}) used "
            f"{other['app_cpu_ms_per_request']:.1f} ms for {other['redemptions_per_s']:,.0f} "
            "redemptions/s. gunicorn's sync workers parse HTTP in Python and close the "
            "connection after each response, so every request pays a new TCP connection; "
            "`mawa serve` (granian) parses in Rust and keeps a scanner's connection open. "
            + (
                "Both pass the floor; "
                if ok and other["redemptions_per_s"] >= REDEMPTIONS_PER_S
                else ""
            )
            + "the throughput of one run moves by a tenth or more with what else the machine "
            "is doing."
        )
    if not ok:
        budget = 1000 * nproc / REDEMPTIONS_PER_S - db - client
        lines.append(
            f"- Left: {REDEMPTIONS_PER_S}/s on {nproc} cores shared by server, database and "
            f"clients leaves about {budget:.1f} ms of app CPU per request; what remains is "
            "mostly the framework around three statements (Django's handler and URL "
            "resolution over every API route, django-ninja's parsing and response validation) "
            "— and on this machine, the CPU other work takes. Cutting further means leaving "
            "the framework for this one endpoint (a plain WSGI route before Django's URL "
            "resolution) or more cores; the measured CPU per request is the figure to compare."
        )
    return lines


def render(results: dict) -> str:
    lines = [START, *header(results), *floors(results)]
    if results.get("field"):
        lines += field_section(results["field"])
    if results.get("api"):
        results["api"]["nproc"] = results["run"]["machine"]["nproc"]
        lines += api_section(results["api"])
    if results["run"].get("skipped"):
        lines += [f"Not measured: {results['run']['skipped']}.", ""]
    lines += findings(results)
    lines += [
        "### Planning 600,000 households",
        "",
        "Measured by `bench/planning.py` (a separate benchmark, reported in its own section).",
        "",
        END,
    ]
    return "\n".join(lines) + "\n"


def write_docs(path: Path, section: str) -> None:
    """Replace the text between the markers (or append the section); nothing else changes."""
    write_section(path, section, START, END)
