"""The names app's declarations to shared machinery, imported by NamesConfig.ready: audit
events about a candidate pair or a merge belong to the sites that hold both its people."""

from mawa.core.audit_scope import audit_scope
from mawa.names.models import CandidatePair, Merge

audit_scope(
    "names.candidatepair",
    lambda sites: CandidatePair.objects.filter(
        person_a__household__site__in=sites, person_b__household__site__in=sites
    ),
)
audit_scope(
    "names.merge",
    lambda sites: Merge.objects.filter(
        kept__household__site__in=sites, merged__household__site__in=sites
    ),
)
