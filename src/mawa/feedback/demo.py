"""The feedback part of the demo scenario, at Debaga 1: a fortnight of tickets at the
distribution point with one day when many said they were missing from the list, a question by
SMS, a late safety complaint, and one complaint of sexual exploitation and abuse that only the
focal point (`focal`) sees. The help desk (`helpdesk`) and `focal` are among the demo users."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from mawa.assistance.models import Cycle, StockLocation
from mawa.core.models import Site, User
from mawa.feedback import services
from mawa.feedback.models import Category, Channel, Ticket
from mawa.registry.models import Household

SAID = {
    Category.MISSING_FROM_LIST: ("اسم عائلتي غير موجود في قائمة اليوم", "ar"),
    Category.DISTRIBUTION_CONDUCT: ("الطابور بلا تنظيم والناس تتدافع عند الشاحنة", "ar"),
    Category.WRONG_ENTITLEMENT: ("نحن سبعة أشخاص وأعطونا سلة واحدة", "ar"),
    Category.CARD_LOST: ("کارتەکەم ون بووە", "ckb"),
    Category.INFORMATION: ("کەی دابەشکردنی داهاتوو دەبێت؟", "ckb"),
    Category.POSITIVE: ("شكراً لفريق التوزيع، كان منظماً هذه المرة", "ar"),
}


@transaction.atomic
def load(stdout) -> None:
    site = Site.objects.filter(code="debaga-1").first()
    desk = User.objects.filter(username="helpdesk").first()
    point = StockLocation.objects.filter(site=site, kind=StockLocation.Kind.POINT).first()
    cycle = Cycle.objects.filter(sites=site).order_by("-starts").first()
    if site is None or desk is None or Ticket.objects.exists():
        return
    rng = random.Random(2017)
    households = list(Household.objects.filter(site=site).order_by("pk")[:40])
    now = timezone.now()
    made = 0
    for days_ago in range(14, -1, -1):
        busy = days_ago == 3  # the day the list was wrong
        count = 9 if busy else rng.randint(0, 3)
        for _ in range(count):
            category = Category.MISSING_FROM_LIST if busy else rng.choice(list(SAID))
            text, language = SAID[category]
            ticket = services.ticket_record(
                actor=desk,
                intake=services.Intake(
                    category=category,
                    channel=rng.choice([Channel.DESK, Channel.DESK, Channel.HOTLINE]),
                    language=language,
                    text=text,
                    site=site,
                    point=point,
                    cycle=cycle,
                    household=rng.choice(households) if households else None,
                ),
            )
            at = now - dt.timedelta(days=days_ago, hours=rng.randint(0, 5))
            Ticket.objects.filter(pk=ticket.pk).update(
                created_at=at, due_at=at + (ticket.due_at - ticket.created_at)
            )
            made += 1
    services.ticket_record(
        actor=None,
        intake=services.Intake(
            category=Category.INFORMATION,
            channel=Channel.SMS,
            language="ar",
            text="متى يتم توزيع السلال الغذائية في دبگة؟",
            contact="+9647700000001",
            site=site,
        ),
        message_id="demo-sms-1",
    )
    late = services.ticket_record(
        actor=desk,
        intake=services.Intake(
            category=Category.SITE_SAFETY,
            channel=Channel.DESK,
            language="ckb",
            text="تەلی کارەبا لە نزیک خێمەکانی بلۆکی ٤ کراوەیە",
            anonymous=True,
            site=site,
        ),
    )
    Ticket.objects.filter(pk=late.pk).update(due_at=now - dt.timedelta(hours=6))
    services.ticket_record(
        actor=desk,
        intake=services.Intake(
            category=Category.SEXUAL_EXPLOITATION_ABUSE,
            channel=Channel.DESK,
            language="ar",
            text="(demo) a complaint for the PSEA focal point only",
            anonymous=True,
            site=site,
        ),
    )
    stdout.write(f"Feedback: {made + 3} tickets at {site.name_en} (one seen by `focal` only).")
