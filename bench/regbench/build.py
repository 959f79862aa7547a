"""Building (or reusing) the benchmark registry with Mawa's own seeded generator.

The database remembers what it holds in a small `bench_state` table written after a complete
build: the target size, the seed, the people and households made, the build time and a
fingerprint of the search tokens the current `mawa.namekeys` gives. A rerun reuses the database
when all of these still agree (and the people are still there); otherwise it starts again.
"""

import hashlib
import json
import math
import time
from types import SimpleNamespace

from regbench.common import log

BATCH_HOUSEHOLDS = 10_000
MEAN_FAMILY = 5.3  # people per synthetic household, a little above the generator's mean
IMPORT_SITE_PREFIX = "bench-import-"
ADMIN = "bench-admin"
CLERK = "bench-clerk"


def token_fingerprint() -> str:
    """Changes whenever name normalisation changes what the index stores for a person (how a
    query is looked up may change freely: the stored tokens are what a rebuild would redo)."""
    from mawa.namekeys import search_tokens
    from mawa.registry import synthetic
    from mawa.registry.search import compound_tokens, number_token, phone_token

    parts = []
    for ar, lat in synthetic.MALE + synthetic.FEMALE + synthetic.FAMILY:
        parts.append([sorted(search_tokens(ar)), sorted(search_tokens(lat))])
        parts.append(sorted(search_tokens(f"{ar} {lat}")))
    for (g_ar, g_lat), (f_ar, f_lat), (l_ar, l_lat) in zip(
        synthetic.MALE + synthetic.FEMALE,
        synthetic.MALE[::-1] * 2,
        synthetic.FAMILY * 3,
        strict=False,
    ):
        names = {"given_name_ar": g_ar, "given_name_lat": g_lat, "father_name_ar": f_ar}
        names.update(father_name_lat=f_lat, family_name_ar=l_ar, family_name_lat=l_lat)
        parts.append(sorted(compound_tokens(SimpleNamespace(**names))))
    parts.append([number_token("7K3M-9Q2X-T"), phone_token("+964 770 123 4567")])
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]


def _state_table(cursor) -> None:
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_state (k VARCHAR(40) PRIMARY KEY, v TEXT)")


def read_state() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        _state_table(cursor)
        cursor.execute("SELECT v FROM bench_state WHERE k = 'registry'")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else {}


def write_state(state: dict) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        _state_table(cursor)
        cursor.execute("DELETE FROM bench_state WHERE k = 'registry'")
        cursor.execute(
            "INSERT INTO bench_state (k, v) VALUES ('registry', %s)", [json.dumps(state)]
        )


def prepare_places_and_admin():
    """Iraq's areas and the 2017 camps (idempotent), and an administrator of every site."""
    from mawa.core.models import User
    from mawa.core.places import load_areas, load_camps
    from mawa.core.roles import Role

    load_areas()
    load_camps()
    admin, _created = User.objects.get_or_create(
        username=ADMIN, defaults={"role": Role.ADMINISTRATOR, "all_sites": True}
    )
    if admin.role != Role.ADMINISTRATOR or not admin.all_sites or not admin.is_active:
        admin.role, admin.all_sites, admin.is_active = Role.ADMINISTRATOR, True, True
        admin.save()
    return admin


def prepare_clerk():
    """A registration clerk of the one camp with the most households (the busiest site, so the
    slowest of the one-site searches)."""
    from django.db.models import Count

    from mawa.core.models import User
    from mawa.core.roles import Role
    from mawa.registry.models import Household

    busiest = (
        Household.objects.exclude(site__code__startswith=IMPORT_SITE_PREFIX)
        .values("site")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    clerk, _created = User.objects.get_or_create(username=CLERK, defaults={"role": Role.CLERK})
    clerk.role, clerk.all_sites, clerk.is_active = Role.CLERK, False, True
    clerk.save()
    clerk.sites.set([busiest["site"]] if busiest else [])
    return clerk


def registry_sites():
    from mawa.core.models import Site

    return list(
        Site.objects.filter(is_active=True)
        .exclude(code__startswith=IMPORT_SITE_PREFIX)
        .order_by("code")
    )


def reusable(state: dict, people: int, seed: int, fingerprint: str) -> str | None:
    """None when the database already holds this registry, else why it must be rebuilt."""
    from mawa.registry.models import Person

    if not state:
        return "no complete build recorded"
    wanted = {"people_target": people, "seed": seed, "fingerprint": fingerprint}
    for key, value in wanted.items():
        if state.get(key) != value:
            return f"{key} changed ({state.get(key)!r} -> {value!r})"
    if Person.objects.count() != state.get("people"):
        return "the number of people differs from the recorded build"
    return None


def build(*, people: int, seed: int, admin, vendor: str) -> dict:
    """Generate households in seeded batches until at least `people` people exist."""
    from django.db import connection

    from mawa.registry.models import SearchToken
    from mawa.registry.synthetic import generate_households

    sites = registry_sites()
    if vendor == "sqlite":
        # Inserting some twenty million search tokens into three indexes in random key order
        # is bound by how much of the indexes stays cached: 1 GiB for the build (Mawa's
        # connections keep their own 64 MB).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1048576")
    made_households = made_people = 0
    batch = 0
    started = time.perf_counter()
    while made_people < people:
        wanted = math.ceil((people - made_people) / MEAN_FAMILY)
        count = max(1, min(BATCH_HOUSEHOLDS, wanted))
        made = generate_households(
            sites=sites,
            households=count,
            seed=seed * 1000 + batch,
            registered_by=admin,
        )
        made_households += made.households
        made_people += made.people
        batch += 1
        rate = made_people / (time.perf_counter() - started)
        log(f"built {made_households:,} households, {made_people:,} people ({rate:,.0f}/s)")
    generate_seconds = time.perf_counter() - started
    connection.close()  # the next statement reconnects with the settings' PRAGMAs (not the build's)
    # PostgreSQL's autovacuum would analyse the new tables within minutes anyway: do it now so
    # that every run sees the steady state. SQLite keeps no statistics unless ANALYZE is run,
    # and Mawa never runs it, so the benchmark does not either: it measures Mawa as deployed.
    analyse_started = time.perf_counter()
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    analyse_seconds = time.perf_counter() - analyse_started
    return {
        "households": made_households,
        "people": made_people,
        "tokens": SearchToken.objects.count(),
        "batches": batch,
        "generate_seconds": round(generate_seconds, 1),
        "analyse_seconds": round(analyse_seconds, 1),
        "build_seconds": round(time.perf_counter() - started, 1),
    }
