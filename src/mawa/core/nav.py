"""Links and dashboard panels that apps add, as they add capabilities: by registering in their
`AppConfig.ready` (`nav.link(_("Feedback"), "feedback:ticket_list", "feedback_handle")`), so
that base.html and the dashboard never name them. A panel is a URL the dashboard loads with HTMX
(`hx-trigger="load"`); it answers an empty fragment when it has nothing to say."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    capability: str


LINKS: list[Entry] = []
PANELS: list[Entry] = []


def link(label, url_name: str, capability: str) -> None:
    if all(e.url_name != url_name for e in LINKS):
        LINKS.append(Entry(label, url_name, capability))


def panel(url_name: str, capability: str) -> None:
    if all(e.url_name != url_name for e in PANELS):
        PANELS.append(Entry("", url_name, capability))
