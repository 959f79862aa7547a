"""How often the right person is found: top-1, top-5, and false candidates for people who are
not registered, on the seeded requests of ``synthetic``."""

from mawa.tracelink.index import Index
from mawa.tracelink.request import profiles
from mawa.tracelink.score import THRESHOLD, match_index
from mawa.tracelink.synthetic import Synthetic


def evaluate(data: Synthetic, *, top: int = 5, threshold: float = THRESHOLD) -> dict:
    index = Index()
    index.extend(data.registry)
    index.freeze()
    first = in_top = registered = unregistered = false = 0
    for request in data.requests:
        found = match_index(index, profiles(request), top=top, threshold=threshold)
        people = [data.person_of[c.id] for c in found]
        wanted = data.truth[request.request]
        if wanted is None:
            unregistered += 1
            false += bool(found)
            continue
        registered += 1
        first += bool(people) and people[0] == wanted
        in_top += wanted in people
    return {
        "registry": len(index),
        "requests": len(data.requests),
        "top1": first / max(registered, 1),
        "top5": in_top / max(registered, 1),
        "false_for_unregistered": false / max(unregistered, 1),
    }
