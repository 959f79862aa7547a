"""The Django side of the assistance benchmark, one database per process (DATABASE_URL).

    worker.py build  --households N --seed S --out state.json
    worker.py field  --state state.json --out field.json     (SQLite, through the view)
    worker.py probe  --state state.json --out probe.json     (the API in process, statements)
    worker.py verify --state state.json --records load.json --out verify.json
    worker.py reset  --state state.json --out reset.json     (a reused database, before a run)

`build` makes the scenario: the camp's households (generate_households, seeded), a programme
with the demo's rules, an open cycle, a stocked point, a card per household, a distribution
operator scoped to the camp and an API token for that operator.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ADMIN, OPERATOR, RESULTS, SITE_CODE, log, percentiles  # noqa: E402

# (basis, commodity, quantity, min size, max size, need): the rules of mawa.assistance.demo
RULES = [
    ("band", "food-parcel", 1, 1, 5, ""),
    ("band", "food-parcel", 2, 6, 10, ""),
    ("band", "food-parcel", 3, 11, 99, ""),
    ("person", "rice", Decimal("1.5"), 1, 99, ""),
    ("need", "hygiene-kit", 1, 1, 99, "DS"),
    ("need", "hygiene-kit", 1, 1, 99, "SM"),
]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mawa.settings")
    import django

    django.setup()


# --- build ---------------------------------------------------------------------------------------


def _users(site):
    from mawa.core.models import User
    from mawa.core.roles import Role

    admin = User.objects.create(
        username=ADMIN, role=Role.ADMINISTRATOR, all_sites=True, is_staff=True, is_superuser=True
    )
    operator = User.objects.create(username=OPERATOR, role=Role.DISTRIBUTION, all_sites=False)
    operator.sites.set([site])
    return admin, operator


def _programme(site, admin, households: int):
    import datetime as dt

    from django.utils import timezone

    from mawa.assistance import services
    from mawa.assistance.demo import COMMODITIES
    from mawa.assistance.models import (
        Commodity,
        Cycle,
        EntitlementRule,
        Programme,
        StockEntry,
        StockLocation,
    )

    goods = {}
    for code, en, ar, unit in COMMODITIES:
        goods[code], _new = Commodity.objects.get_or_create(
            code=code, defaults={"name_en": en, "name_ar": ar, "unit": unit}
        )
    programme = Programme.objects.create(
        code="monthly-food", name_en="Monthly family food parcel", name_ar="السلة الغذائية الشهرية"
    )
    for basis, code, quantity, low, high, need in RULES:
        EntitlementRule.objects.create(
            programme=programme,
            basis=basis,
            commodity=goods[code],
            quantity=quantity,
            min_size=low,
            max_size=high,
            need=need,
        )
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        programme=programme,
        name=today.strftime("%Y-%m"),
        starts=today - dt.timedelta(days=2),
        ends=today + dt.timedelta(days=28),
        status=Cycle.Status.OPEN,
    )
    cycle.sites.add(site)
    warehouse = StockLocation.objects.create(name="Erbil warehouse (WFP)", kind="warehouse")
    point = StockLocation.objects.create(name="Debaga distribution point", kind="point", site=site)
    # Enough for every household of the camp: at most 3 parcels, 1.5 kg a person, one kit.
    for code, quantity in (
        ("food-parcel", 3 * households),
        ("rice", 25 * households),
        ("hygiene-kit", households),
    ):
        services.stock_record(
            actor=admin,
            location=warehouse,
            commodity=goods[code],
            quantity=quantity,
            kind=StockEntry.Kind.RECEIPT,
        )
        dispatch = services.dispatch_send(
            actor=admin,
            source=warehouse,
            destination=point,
            commodity=goods[code],
            quantity=quantity,
        )
        services.dispatch_receive(actor=admin, dispatch=dispatch, counted=quantity)
    return cycle, point


def build(args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from mawa.assistance import services
    from mawa.assistance.models import RationCard
    from mawa.core.models import Site
    from mawa.core.places import load_areas, load_camps
    from mawa.registry.models import Household, Person
    from mawa.registry.synthetic import generate_households

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_areas()
    load_camps()
    site = Site.objects.get(code=SITE_CODE)
    admin, operator = _users(site)
    log(f"generating {args.households:,} households at {site.code} (seed {args.seed})")
    t = time.perf_counter()
    made = generate_households(
        sites=[site], households=args.households, seed=args.seed, registered_by=admin
    )
    generate_s = time.perf_counter() - t
    cycle, point = _programme(site, admin, args.households)
    t = time.perf_counter()
    issued = services.cards_issue_for_cycle(actor=admin, cycle=cycle)
    cards_s = time.perf_counter() - t
    out = io.StringIO()
    call_command("token", operator.username, stdout=out)
    analyse_s = 0.0
    if connection.vendor == "postgresql":
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        analyse_s = time.perf_counter() - t
    codes = list(
        RationCard.objects.filter(programme=cycle.programme, status="active")
        .order_by("code")
        .values_list("code", flat=True)
    )
    return {
        "vendor": connection.vendor,
        "server_version": _server_version(connection),
        "households": Household.objects.filter(site=site).count(),
        "people": Person.objects.filter(household__site=site).count(),
        "generated": {"households": made.households, "people": made.people},
        "cards_issued": issued,
        "seed": args.seed,
        "site": str(site.pk),
        "cycle": str(cycle.pk),
        "point": str(point.pk),
        "operator": operator.username,
        "token": out.getvalue().strip(),
        "cards": codes,
        "generate_seconds": round(generate_s, 1),
        "cards_seconds": round(cards_s, 1),
        "analyse_seconds": round(analyse_s, 1),
        "build_seconds": round(time.perf_counter() - started, 1),
    }


def _server_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0].split()[0]
        cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0]


# --- statement timing ----------------------------------------------------------------------------


class StatementTimer:
    """A connection.execute_wrapper that times every statement and groups them by SQL text."""

    def __init__(self):
        self.by_sql: dict[str, list[float]] = defaultdict(list)
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.by_sql[sql].append((time.perf_counter() - start) * 1000)
            self.count += 1

    def top(self, requests: int, n: int = 8) -> list[dict]:
        rows = [
            {
                "sql": sql,
                "calls_per_request": round(len(times) / max(requests, 1), 2),
                "ms_per_request": round(sum(times) / max(requests, 1), 3),
                "ms_max": round(max(times), 2),
            }
            for sql, times in self.by_sql.items()
        ]
        rows.sort(key=lambda r: -r["ms_per_request"])
        return rows[:n]

    def total_ms(self) -> float:
        return sum(sum(t) for t in self.by_sql.values())


def profile_text(profile: cProfile.Profile, limit: int = 30) -> str:
    buffer = io.StringIO()
    stats = pstats.Stats(profile, stream=buffer)
    stats.sort_stats("cumulative").print_stats(limit)
    return buffer.getvalue()


# --- 1. the field laptop: SQLite through the view ------------------------------------------------


class Screen:
    """The point screen as a distribution operator's browser uses it (Django's test Client)."""

    def __init__(self, state: dict):
        from django.test import Client
        from django.urls import reverse

        from mawa.core.models import User

        self.client = Client()
        self.client.force_login(User.objects.get(username=state["operator"]))
        args = [state["point"], state["cycle"]]
        self.scan_url = reverse("assistance:scan", args=args)
        self.give_url = reverse("assistance:give", args=args)
        self.failures: Counter = Counter()
        self.cpu_ms: list[float] = []

    def post(self, url: str, code: str, expect: str) -> float:
        """POST the code; the wall time in ms (this thread's CPU time goes to self.cpu_ms)."""
        cpu, start = time.thread_time(), time.perf_counter()
        response = self.client.post(url, {"code": code})
        ms = (time.perf_counter() - start) * 1000
        self.cpu_ms.append((time.thread_time() - cpu) * 1000)
        if response.status_code != 200 or expect.encode() not in response.content:
            self.failures[f"{url.rsplit('/', 2)[-2]}: {response.status_code}"] += 1
        return ms

    def scan(self, code: str) -> float:
        return self.post(self.scan_url, code, 'class="scan shown"')

    def give(self, code: str) -> float:
        return self.post(self.give_url, code, 'class="scan given"')

    def give_again(self, code: str) -> float:
        return self.post(self.give_url, code, 'class="scan refused"')

    def serve(self, codes: list[str]) -> dict:
        """Scan then give each card, as at the point; the two requests timed apart, in wall
        time and in this process's CPU time (which other work on the machine inflates less)."""
        scans, gives, scan_cpu, give_cpu = [], [], [], []
        for code in codes:
            scans.append(self.scan(code))
            scan_cpu.append(self.cpu_ms[-1])
            gives.append(self.give(code))
            give_cpu.append(self.cpu_ms[-1])
        return {
            "scan": percentiles(scans),
            "give": percentiles(gives),
            "scan_cpu": percentiles(scan_cpu),
            "give_cpu": percentiles(give_cpu),
            "give_ms": gives,
        }


def _statements(screen: Screen, codes: list[str]) -> dict:
    """Scan and give `codes` with every statement timed: count per request, and the costliest."""
    from django.db import connection

    scans, gives = StatementTimer(), StatementTimer()
    give_ms = []
    for code in codes:
        with connection.execute_wrapper(scans):
            screen.scan(code)
        with connection.execute_wrapper(gives):
            give_ms.append(screen.give(code))
    n = len(codes)
    return {
        "requests": n,
        "scan_statements_per_request": round(scans.count / n, 1),
        "scan_sql_ms_per_request": round(scans.total_ms() / n, 2),
        "give_statements_per_request": round(gives.count / n, 1),
        "give_sql_ms_per_request": round(gives.total_ms() / n, 2),
        "give_request_ms_mean": round(sum(give_ms) / n, 2),
        "scan_top": scans.top(n, 5),
        "give_top": gives.top(n),
    }


def _fill(state: dict, codes: list[str]) -> float:
    """Give these cards straight through `redemption_record`, to reach the end of the cycle
    quickly: the same rows as the screen writes (with the scan's "shown" line added in bulk),
    without the HTTP layer."""
    from mawa.assistance import services
    from mawa.assistance.models import Cycle, RationCard, ScanLog, StockLocation
    from mawa.core.models import User

    operator = User.objects.get(username=state["operator"])
    cycle = Cycle.objects.select_related("programme").get(pk=state["cycle"])
    point = StockLocation.objects.get(pk=state["point"])
    start = time.perf_counter()
    for i, code in enumerate(codes, 1):
        result = services.redemption_record(actor=operator, cycle=cycle, point=point, typed=code)
        if result.outcome != "given":
            raise SystemExit(f"fill: {code} was {result.outcome}: {result.message}")
        if i % 5000 == 0:
            log(f"  given {i:,} of {len(codes):,}")
    cards = RationCard.objects.filter(code__in=codes).values_list("code", "pk")
    ScanLog.objects.bulk_create(
        (
            ScanLog(
                operator=operator, point=point, cycle=cycle, typed=code, card_id=pk, outcome="shown"
            )
            for code, pk in cards.iterator()
        ),
        batch_size=2000,
    )
    return time.perf_counter() - start


def field(args) -> dict:
    state = json.loads(Path(args.state).read_text(encoding="utf-8"))
    codes = list(state["cards"])
    random.Random(state["seed"] + 1).shuffle(codes)
    n, late_n, probe = args.requests, args.late_requests, 100
    need = 30 + probe + n + 200 + (2 * probe + late_n if args.late else 0)
    if need > len(codes):
        raise SystemExit(f"{len(codes)} cards are too few for {need} requests")
    warm, codes = codes[:30], codes[30:]
    probe_early, codes = codes[:probe], codes[probe:]
    measured, codes = codes[:n], codes[n:]
    profiled, codes = codes[:200], codes[200:]
    late, profiled_late, probe_late, fill = [], [], [], []
    if args.late:
        late, codes = codes[-late_n:], codes[:-late_n]
        profiled_late, codes = codes[-probe:], codes[:-probe]
        probe_late, fill = codes[-probe:], codes[:-probe]

    screen = Screen(state)
    screen.serve(warm)
    log(f"statements of {probe} scans and gives (early in the cycle)")
    result = {"requests": n, "statements_early": _statements(screen, probe_early)}
    log(f"{n:,} cards: scan, then give, each request timed")
    early = screen.serve(measured)
    give_ms = early.pop("give_ms")
    early["give_p99_by_tenth"] = [
        percentiles(give_ms[i * n // 10 : (i + 1) * n // 10]).get("p99") for i in range(10)
    ]
    result["early"] = early
    give = early["give"]
    log(f"give p50/p95/p99 {give['p50']}/{give['p95']}/{give['p99']} ms")
    again = random.Random(state["seed"] + 2).sample(measured, min(300, len(measured)))
    result["already_early"] = percentiles([screen.give_again(code) for code in again])
    profile = cProfile.Profile()
    profile.enable()
    screen.serve(profiled)
    profile.disable()
    (RESULTS / "field-profile-early.txt").write_text(profile_text(profile), encoding="utf-8")
    given = 30 + probe + n + len(profiled)
    if fill:
        log(f"giving {len(fill):,} more cards through the services, to near the cycle's end")
        result["fill_seconds"] = round(_fill(state, fill), 1)
        given += len(fill)
        log(f"statements of {probe} scans and gives (late in the cycle)")
        result["statements_late"] = _statements(screen, probe_late)
        given += probe
        log(f"{late_n:,} cards late in the cycle ({given:,} already served)")
        late_result = screen.serve(late)
        late_result.pop("give_ms")
        result["late"] = {"already_served": given, **late_result}
        log(f"late give p50/p99 {late_result['give']['p50']}/{late_result['give']['p99']} ms")
        profile = cProfile.Profile()
        profile.enable()
        screen.serve(profiled_late)
        profile.disable()
        (RESULTS / "field-profile-late.txt").write_text(profile_text(profile), encoding="utf-8")
        result["already_late"] = percentiles([screen.give_again(code) for code in again])
    result["failures"] = dict(screen.failures)
    return result


# --- 2. the API: statements per request, in process ----------------------------------------------


def probe(args) -> dict:
    """POST /api/v1/redemptions for a few cards in process, every statement timed."""
    from django.db import connection
    from django.test import Client

    state = json.loads(Path(args.state).read_text(encoding="utf-8"))
    codes = json.loads(Path(args.cards).read_text(encoding="utf-8"))
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {state['token']}")

    def post(code):
        body = {"cycle": state["cycle"], "card": code, "point": state["point"]}
        return client.post("/api/v1/redemptions", body, content_type="application/json")

    for code in codes[:10]:
        post(code)
    timed = codes[10:]
    timer = StatementTimer()
    with connection.execute_wrapper(timer):
        start = time.perf_counter()
        statuses = Counter(post(code).status_code for code in timed)
        elapsed = time.perf_counter() - start
    n = len(timed)
    return {
        "requests": n,
        "statuses": {str(k): v for k, v in statuses.items()},
        "statements_per_request": round(timer.count / n, 1),
        "sql_ms_per_request": round(timer.total_ms() / n, 2),
        "request_ms_mean": round(elapsed * 1000 / n, 2),
        "top": timer.top(n),
    }


def calibrate(args) -> dict:
    """CPU time of one API request by outcome, in process: what the framework costs alone (401,
    no token), a refusal before any card is read (404, a code whose check character is
    wrong), a repeat (409) and a redemption (201). Cards from --cards, not used elsewhere."""
    import statistics

    from django.db import connection
    from django.test import Client

    state = json.loads(Path(args.state).read_text(encoding="utf-8"))
    codes = json.loads(Path(args.cards).read_text(encoding="utf-8"))
    auth = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {state['token']}")
    anon = Client(HTTP_HOST="127.0.0.1")

    def post(client, code):
        body = {"cycle": state["cycle"], "card": code, "point": state["point"]}
        return client.post("/api/v1/redemptions", body, content_type="application/json")

    def measure(calls) -> dict:
        cpu, statuses, timer = [], Counter(), StatementTimer()
        with connection.execute_wrapper(timer):
            for client, code in calls:
                start = time.thread_time()
                statuses[post(client, code).status_code] += 1
                cpu.append((time.thread_time() - start) * 1000)
        return {
            "n": len(cpu),
            "cpu_ms_median": round(statistics.median(cpu), 2),
            "statements": round(timer.count / len(cpu), 1),
            "statuses": {str(k): v for k, v in statuses.items()},
        }

    warm, given = codes[:20], codes[20:]
    for code in warm:
        post(auth, code)
    return {
        "401": measure([(anon, warm[0])] * 200),
        "404": measure([(auth, "XXXX-XXXX-X")] * 200),
        "409": measure([(auth, code) for code in warm * 10]),
        "201": measure([(auth, code) for code in given]),
        "middleware": middleware_costs(state),
    }


def middleware_costs(state: dict, n: int = 400) -> dict:
    """CPU of each middleware on an API request (a token's, for a code whose check character
    is wrong: 404 after the token, point and cycle are read and the scan logged): the median
    CPU time of such a request with settings' first k middleware, minus that with the first
    k - 1 (in order, so each one's own prerequisites are there). Rounds alternate between the
    chains, so other work on the machine weighs on each alike."""
    import statistics

    from django.conf import settings
    from django.test import Client, override_settings

    body = {"cycle": state["cycle"], "card": "XXXX-XXXX-X", "point": state["point"]}
    full = list(settings.MIDDLEWARE)
    clients = []
    for k in range(len(full) + 1):
        with override_settings(MIDDLEWARE=full[:k]):
            client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {state['token']}")
            client.post("/api/v1/redemptions", body, content_type="application/json")
            clients.append(client)  # the handler keeps the middleware it was built with
    samples: list[list[float]] = [[] for _ in clients]
    for _round in range(max(n // 20, 1)):
        for k, client in enumerate(clients):
            for _ in range(20):
                start = time.thread_time()
                client.post("/api/v1/redemptions", body, content_type="application/json")
                samples[k].append((time.thread_time() - start) * 1000)
    medians = [statistics.median(x) for x in samples]
    return {
        "requests_each": len(samples[0]),
        "none_ms": round(medians[0], 3),
        "all_ms": round(medians[-1], 3),
        "by_middleware_ms": {
            name: round(medians[k + 1] - medians[k], 3) for k, name in enumerate(full)
        },
    }


# --- verification after the load -----------------------------------------------------------------


def verify(args) -> dict:
    """Every card at most once, 409 for every repeat, and the ledger and scan log agreeing."""
    from django.db.models import Count

    from mawa.assistance.models import RationCard, Redemption, ScanLog, StockEntry

    state = json.loads(Path(args.state).read_text(encoding="utf-8"))
    records = json.loads(Path(args.records).read_text(encoding="utf-8"))
    cycle = state["cycle"]
    doubles = (
        Redemption.objects.values("cycle_id", "household_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    statuses: dict[str, list[int]] = defaultdict(list)
    for code, status in records["sent"]:
        statuses[code].append(status)
    redeemed = set(
        Redemption.objects.filter(cycle_id=cycle, card__code__in=list(statuses)).values_list(
            "card__code", flat=True
        )
    )
    not_one_201 = [c for c, s in statuses.items() if s.count(201) != 1]
    repeats_not_409 = sum(1 for s in statuses.values() for x in s if x != 201 and x != 409) + sum(
        max(0, s.count(201) - 1) for s in statuses.values()
    )
    given_no_row = [c for c, s in statuses.items() if 201 in s and c not in redeemed]
    row_no_201 = [c for c in redeemed if 201 not in statuses[c]]
    ledger_bad = 0
    for items, n in (
        Redemption.objects.filter(cycle_id=cycle)
        .annotate(n=Count("entries"))
        .values_list("items", "n")
    ):
        ledger_bad += len(items) != n
    orphans = StockEntry.objects.filter(kind="distribution", redemption__isnull=True).count()
    redemptions = Redemption.objects.filter(cycle_id=cycle).count()
    logged = dict(
        ScanLog.objects.filter(cycle_id=cycle).values_list("outcome").annotate(n=Count("pk"))
    )
    repeats = sum(len(s) - 1 for s in statuses.values())
    return {
        "doubles": doubles,
        "cards_sent": len(statuses),
        "repeat_requests": repeats,
        "cards_without_exactly_one_201": len(not_one_201),
        "repeats_not_answered_409": repeats_not_409,
        "201_without_redemption": len(given_no_row),
        "redemption_without_201": len(row_no_201),
        "redemptions_in_cycle": redemptions,
        "redemptions_whose_ledger_lines_disagree": ledger_bad,
        "distribution_lines_without_redemption": orphans,
        "scanlog": logged,
        "active_cards": RationCard.objects.filter(status="active").count(),
    }


def reset(args) -> dict:
    """Undo a previous run on a reused database: no redemption, ledger line of one, or scan."""
    from django.db import transaction

    from mawa.assistance.models import Redemption, ScanLog, StockEntry

    state = json.loads(Path(args.state).read_text(encoding="utf-8"))
    with transaction.atomic():
        lines = StockEntry.objects.filter(redemption__cycle_id=state["cycle"]).delete()[0]
        scans = ScanLog.objects.filter(cycle_id=state["cycle"]).delete()[0]
        given = Redemption.objects.filter(cycle_id=state["cycle"]).delete()[0]
    return {"redemptions": given, "ledger_lines": lines, "scans": scans}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "command", choices=["build", "field", "probe", "calibrate", "verify", "reset"]
    )
    parser.add_argument("--households", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--late-requests", type=int, default=500)
    parser.add_argument("--late", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--state")
    parser.add_argument("--cards")
    parser.add_argument("--records")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    setup_django()
    RESULTS.mkdir(parents=True, exist_ok=True)
    commands = {
        "build": build,
        "field": field,
        "probe": probe,
        "calibrate": calibrate,
        "verify": verify,
        "reset": reset,
    }
    result = commands[args.command](args)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
