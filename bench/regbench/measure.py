"""Timing search (the function and the page), household pages, and explaining slow queries."""

import time
from collections import defaultdict

from regbench.common import Timer, log, percentiles

PAGE = 25


class QueryLog:
    """Every SQL statement run inside `with connection.execute_wrapper(log):`, with its time."""

    def __init__(self):
        self.queries: list[dict] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - start) * 1000
            self.queries.append({"sql": sql, "params": params, "ms": round(ms, 2)})


def _by_kind(records: list[dict], key: str = "ms") -> dict:
    groups = defaultdict(list)
    for record in records:
        groups[record["kind"]].append(record[key])
    return {kind: percentiles(values) for kind, values in sorted(groups.items())}


def _view_search():
    """The list view's own search function, when the view has one (mawa.registry.views
    .search_page since the search rewrite), else None."""
    from mawa.registry import views

    return getattr(views, "search_page", None)


def search_function(queries, admin, clerk=None) -> dict:
    """`search_people` on the administrator's people, first page as the list view takes it,
    and, when the view has its own search function, that function's first page too (also as
    `clerk`, a clerk of one camp, when given)."""
    from mawa.registry.models import Person
    from mawa.registry.search import search_people

    people = Person.objects.filter(household__site__in=admin.site_scope())
    view_search = _view_search()
    records = []
    for kind, text in queries:
        with Timer() as page:
            rows = list(
                search_people(people, text).select_related("household__site").order_by("-pk")[:PAGE]
            )
        record = {"kind": kind, "q": text, "ms": page.ms, "cpu_ms": page.cpu_ms, "rows": len(rows)}
        if view_search is not None:
            with Timer() as view:
                view_rows = list(view_search(admin, text))
            record.update(view_ms=view.ms, view_rows=len(view_rows))
            if clerk is not None:
                with Timer() as mine:
                    clerk_rows = list(view_search(clerk, text))
                record.update(clerk_ms=mine.ms, clerk_rows=len(clerk_rows))
        records.append(record)
    result = {
        "all": percentiles([r["ms"] for r in records]),
        "cpu": percentiles([r["cpu_ms"] for r in records]),
        "by_kind": _by_kind(records),
        "misses": [r["q"] for r in records if r["rows"] == 0],
        "median_matches": _median_matches(records),
        "records": records,
    }
    if view_search is not None:
        result["view"] = percentiles([r["view_ms"] for r in records])
        result["view_by_kind"] = _by_kind(records, "view_ms")
        result["view_function"] = f"{view_search.__module__}.{view_search.__name__}"
        if clerk is not None:
            result["clerk"] = percentiles([r["clerk_ms"] for r in records])
            result["clerk_by_kind"] = _by_kind(records, "clerk_ms")
            result["clerk_site"] = str(clerk.sites.first())
    return result


def _median_matches(records) -> dict:
    """Median rows on the first page per kind (25 means: at least a page of matches)."""
    groups = defaultdict(list)
    for record in records:
        groups[record["kind"]].append(record["rows"])
    return {kind: sorted(v)[len(v) // 2] for kind, v in sorted(groups.items())}


def logged_in_client(admin):
    from django.test import Client

    client = Client()
    client.force_login(admin)
    return client


def search_pages(queries, client, htmx: bool = False) -> dict:
    """GET /households/?q=... end to end through Django (middleware, view, template); with
    `htmx`, as the search box asks while typing (HX-Request: only the results are rendered)."""
    headers = {"HX-Request": "true"} if htmx else {}
    records = []
    for kind, text in queries:
        with Timer() as t:
            response = client.get("/households/", {"q": text}, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"/households/?q={text} answered {response.status_code}")
        records.append(
            {
                "kind": kind,
                "q": text,
                "ms": t.ms,
                "cpu_ms": t.cpu_ms,
                "bytes": len(response.content),
            }
        )
    return {
        "all": percentiles([r["ms"] for r in records]),
        "cpu": percentiles([r["cpu_ms"] for r in records]),
        "by_kind": _by_kind(records),
        "records": records,
    }


def household_pages(household_ids, client) -> dict:
    samples, cpu = [], []
    for pk in household_ids:
        with Timer() as t:
            response = client.get(f"/households/{pk}/")
        if response.status_code != 200:
            raise RuntimeError(f"/households/{pk}/ answered {response.status_code}")
        samples.append(t.ms)
        cpu.append(t.cpu_ms)
    return {"all": percentiles(samples), "cpu": percentiles(cpu)}


def _explain(sql: str, params, vendor: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if vendor == "postgresql":
        return "\n".join(row[0] for row in rows)
    return "\n".join(f"{row[1]:>4} {row[3]}" for row in rows)


def profile_request(client, text: str, vendor: str, top: int = 2) -> dict:
    """Rerun one search page with every SQL statement timed; explain the slowest ones."""
    from django.db import connection

    log_ = QueryLog()
    with connection.execute_wrapper(log_), Timer() as t:
        client.get("/households/", {"q": text})
    slowest = sorted(log_.queries, key=lambda q: q["ms"], reverse=True)[:top]
    return {
        "q": text,
        "ms": round(t.ms, 1),
        "statements": len(log_.queries),
        "sql_ms": round(sum(q["ms"] for q in log_.queries), 1),
        "slowest": [
            {
                "ms": q["ms"],
                "sql": q["sql"],
                "params": [str(p) for p in (q["params"] or [])],
                "plan": _explain(q["sql"], q["params"], vendor),
            }
            for q in slowest
        ],
    }


def profile_slowest(client, page_result: dict, vendor: str, how_many: int = 6) -> list[dict]:
    records = sorted(page_result["records"], key=lambda r: r["ms"], reverse=True)
    seen, profiles = set(), []
    for record in records:
        if record["kind"] in seen:
            continue
        seen.add(record["kind"])
        log(f"profiling slow search {record['q']!r} ({record['ms']:.0f} ms)")
        profiles.append({"kind": record["kind"], **profile_request(client, record["q"], vendor)})
        if len(profiles) >= how_many:
            break
    return profiles
