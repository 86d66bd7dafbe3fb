"""Fill a database with synthetic neighbourhoods, at any scale, for load tests.

    python bench/generate.py --neighbourhoods 100 --members 1500 [--initiatives-per 20]

Each neighbourhood gets flats and homes, members with talents and languages, the usual partners
with their professionals, and initiatives with participants, needs, offers and updates (built by
buurtnet/demo/builders.py). Then its asks and offers (`sharing_build`, here): per 1,500 members
about 300 live ones (at least 40), most for the whole neighbourhood, some for one flat and some
sent only to a few suggested neighbours (with their Invitation rows), plus closed, expired and a
few hidden ones, loans of the lent items and thanks for the help. Neighbourhoods are named
bench-0001, bench-0002, ...; another run adds more after the last one.

Rows are written with bulk_create: 15,000 members take seconds, not minutes. The full-text
search of asks and offers keeps up by itself: on SQLite the triggers of sharing's migration 0003
fill its FTS5 table row by row (bulk_create is a plain INSERT; the dates set afterwards do not
touch the indexed columns), on PostgreSQL it is an expression index. On PostgreSQL the tables are
vacuumed and ANALYZEd afterwards.

The data goes wherever DATABASE_URL / BUURTNET_DATA_DIR point. Without BUURTNET_DATA_DIR it is
bench/data/generated/, never the installation's own data/ directory.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "bench" / "data" / "generated"


def setup(data_dir: Path | None = None) -> None:
    """Point Django at the bench data directory (unless told otherwise) and start it."""
    os.environ.setdefault("BUURTNET_DATA_DIR", str(data_dir or DEFAULT_DATA_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate(
    *,
    neighbourhoods: int,
    members: int,
    initiatives_per: int = 20,
    buildings: int = 8,
    homes: int = 900,
    seed: int = 1,
    posts_per_member: float = 0.2,
    progress: bool = True,
) -> list[str]:
    """Build the neighbourhoods, one transaction each; returns their slugs.

    `posts_per_member`: live asks and offers per member (0 for none); see `sharing_build`.

    On PostgreSQL the tables are vacuumed and ANALYZEd afterwards: the planner otherwise plans
    queries for empty tables until autovacuum gets round to them, and autovacuum would then
    compete for the cores during the load test that follows.
    """
    from django.db import connection, transaction
    from tqdm import tqdm

    from buurtnet.demo.builders import neighbourhood_build, vocabulary_load
    from buurtnet.neighbourhoods.models import Neighbourhood

    vocabulary = vocabulary_load()
    taken = [
        int(match.group(1))
        for slug in Neighbourhood.objects.filter(slug__startswith="bench-").values_list(
            "slug", flat=True
        )
        if (match := re.fullmatch(r"bench-(\d+)", slug))
    ]
    first = max(taken, default=0) + 1
    slugs = []
    bar = tqdm(
        range(first, first + neighbourhoods),
        unit="neighbourhood",
        disable=not progress,
        desc=f"{members} members each",
    )
    for index in bar:
        slug = f"bench-{index:04d}"
        with transaction.atomic():
            neighbourhood = neighbourhood_build(
                slug=slug,
                name=f"Testwijk {index}",
                buildings=buildings,
                homes=homes,
                members=members,
                initiatives=initiatives_per,
                rng=random.Random(f"{seed}-{index}"),
                vocabulary=vocabulary,
            )
            if posts_per_member > 0:
                # A random generator of its own: the rest of the data stays as it was.
                sharing_build(
                    neighbourhood=neighbourhood,
                    live=max(MIN_LIVE_POSTS, round(members * posts_per_member)),
                    rng=random.Random(f"{seed}-{index}-sharing"),
                )
        slugs.append(slug)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return slugs


# --- Asks and offers ---------------------------------------------------------------------------

MIN_LIVE_POSTS = 40  # so that even a small neighbourhood fills the list's first pages

# (side, kind, category or None, language, title, body): "{flat}" becomes the author's flat.
POSTS = [
    ("offer", "borrow", "diy", "nl", "Ladder te leen (3,5 meter)",
     "Een stevige aluminium ladder, handig voor gordijnen en lampen. Ophalen in {flat}, graag"
     " binnen een paar dagen terug."),
    ("offer", "borrow", "diy", "nl", "Klopboormachine te leen",
     "Met een set boren voor beton en hout. Ik leg even uit hoe hij werkt."),
    ("offer", "borrow", "bikes", "nl", "Bakfiets te leen",
     "Met regenhoes, voor boodschappen of een paar verhuisdozen. Sleutel haal je bij mij."),
    ("offer", "borrow", "organising", "nl", "Partytent te leen (3×6 meter)",
     "Wit, met zijwanden, genoeg voor dertig mensen. Ik help met opzetten."),
    ("offer", "borrow", "gardening", "nl", "Grasmaaier en heggenschaar te leen", ""),
    ("offer", "borrow", "sewing", "tr", "Dikiş makinesi ödünç verebilirim",
     "Basit bir Singer, paça ve perde için yeterli. {flat}'dayım."),
    ("offer", "borrow", "cooking", "ar", "قدر كبير وطباخ أرز للإعارة",
     "مناسب للحفلات والأعياد، يكفي لعشرين شخصاً."),
    ("offer", "give", "children", "nl", "Kinderkleding maat 98–110, gratis",
     "Een volle tas, netjes en gewassen. Af te halen in {flat}."),
    ("offer", "give", None, "nl", "Bank en salontafel weg te geven",
     "We verhuizen. Zelf ophalen, de lift is groot genoeg."),
    ("offer", "give", "baking", "pl", "Oddam słoiki i formy do pieczenia", ""),
    ("offer", "give", "gardening", "nl", "Tomatenplantjes over", "Zelf gezaaid, zes stuks."),
    ("offer", "skill", "admin", "nl", "Hulp met DigiD en formulieren",
     "De DigiD-app instellen, een formulier van de gemeente of de toeslagen invullen. 's Avonds"
     " of op zaterdag, bij jou thuis of in de buurtkamer."),
    ("offer", "skill", "homework", "en", "Maths homework help for secondary school",
     "I teach maths. Happy to help with homework after school, in Dutch or English."),
    ("offer", "skill", "bikes", "nl", "Ik repareer je fiets",
     "Lekke band, remmen, ketting of verlichting. Onderdelen betaal je zelf, de hulp is gratis."),
    ("offer", "skill", "languages", "pl", "Tłumaczę listy z polskiego na niderlandzki",
     "Listy ze szkoły, od lekarza albo z gminy. Wieczorami albo w weekend."),
    ("offer", "skill", "computers", "nl", "Je telefoon of laptop instellen",
     "WhatsApp, videobellen, foto's overzetten of een printer aansluiten."),
    ("offer", "skill", "electrics", "en", "Small electrical jobs: lamps, sockets, switches",
     "I'm an electrician. Evenings and weekends, in {flat}."),
    ("offer", "skill", "sewing", "tr", "Kıyafet tamiri: paça, fermuar, yırtık",
     "Getirin, birkaç gün içinde hazır olur."),
    ("offer", "swap", "gardening", "nl", "Stekjes ruilen: monstera en pannenkoekplant", ""),
    ("offer", "swap", None, "nl", "Boeken ruilen",
     "Een plank vol romans en kinderboeken. Neem er een mee, zet er een terug."),
    ("offer", "company", "elderly", "nl", "Samen wandelen of koffie drinken",
     "Ik ben met pensioen en heb tijd. Een rondje door het park of een kop koffie bij u thuis."),
    ("offer", "company", "cooking", "ar", "طبخ مشترك مع الجيران",
     "أطبخ كل يوم جمعة، أهلاً بكل من يريد أن يتعلم أو يأكل معنا."),
    ("ask", "borrow", "diy", "nl", "Wie leent me een ladder voor zaterdag?",
     "Ik wil een lamp ophangen in de woonkamer. Een paar uur is genoeg."),
    ("ask", "borrow", "organising", "nl", "Klapstoelen lenen voor een verjaardag",
     "Tien stoelen voor zondagmiddag; ik haal ze op en breng ze terug."),
    ("ask", "borrow", "bikes", "en", "Can I borrow a bike pump?", ""),
    ("ask", "borrow", "cooking", "tr", "Büyük bir tencere ödünç alabilir miyim?",
     "Cumartesi günü kına gecesi için."),
    ("ask", "give", "children", "nl", "Op zoek naar een kinderzitje voor op de fiets", ""),
    ("ask", "give", None, "ar", "نبحث عن سرير أطفال",
     "وصلنا حديثاً إلى الحي وننتظر طفلاً في الشهر القادم."),
    ("ask", "skill", "admin", "nl", "Wie helpt me met een brief van de gemeente?",
     "Ik begrijp niet goed wat ze van me vragen. Het moet voor het eind van de maand."),
    ("ask", "skill", "electrics", "tr", "Lamba takmak için yardım lazım",
     "Tavana bir lamba takmam gerekiyor, ne yapacağımı bilmiyorum."),
    ("ask", "skill", "languages", "nl", "Wie vertaalt een schoolbrief in het Tigrinya?",
     "Voor de ouders van een klasgenoot van mijn zoon."),
    ("ask", "skill", "computers", "nl", "Hulp bij videobellen met mijn kleinkinderen",
     "Ik heb een nieuwe tablet maar krijg het niet aan de praat."),
    ("ask", "skill", "homework", "nl", "Bijles rekenen voor groep 7",
     "Mijn dochter heeft moeite met breuken. Eén keer per week een uurtje?"),
    ("ask", "skill", "carpentry", "nl", "Kastje ophangen, wie heeft een boor en tijd?", ""),
    ("ask", "skill", "painting", "pl", "Szukam pomocy przy malowaniu pokoju", ""),
    ("ask", "swap", "cooking", "nl", "Recepten ruilen: Syrisch voor Surinaams", ""),
    ("ask", "company", "elderly", "nl", "Wie wil er af en toe met mijn moeder wandelen?",
     "Ze woont in {flat} en komt weinig buiten. Ze praat graag over vroeger."),
    ("ask", "company", "sports", "en", "Running buddy wanted for Sunday mornings", ""),
    ("ask", "company", "hosting", "ar", "أبحث عن جارة للتعارف وشرب الشاي",
     "وصلت من سوريا قبل شهرين وأريد أن أتعرف على الجيران."),
]  # fmt: skip
WHEN = [
    "", "", "", "", "zaterdagochtend", "deze week 's avonds", "na vijf uur", "in het weekend",
    "zo snel mogelijk", "woensdagmiddag",
]  # fmt: skip
THANKS_NOTES = [
    "Dank je wel!", "Heel erg bedankt voor je hulp.", "Thank you so much!", "Çok teşekkürler!",
    "شكراً جزيلاً", "Dziękuję bardzo!", "Top geregeld, dank je.", "",
]  # fmt: skip


def sharing_build(*, neighbourhood, live: int, rng: random.Random, now: datetime | None = None):
    """The neighbourhood's asks and offers, written by its residents, with who was asked, loans
    and thanks.

    `live` posts can still be answered (open, not past their date, not hidden): 85% for the
    whole neighbourhood, 8% for the author's flat, 7% sent only to three to six suggested
    neighbours. Besides them a fifth as many closed ones (helped or no longer needed, most
    helped ones with thanks), a sixth as many that ran out, and one in a hundred hidden by a
    host. Lent items have loans that never hold the item twice on one day (the database refuses
    that, see sharing's migration 0002).
    """
    from django.utils import timezone

    from buurtnet.neighbourhoods.models import Building, Membership, Role
    from buurtnet.people.models import Talent, User
    from buurtnet.sharing.models import (
        LIFETIME,
        Answer,
        Audience,
        Invitation,
        Loan,
        LoanStatus,
        Post,
        PostStatus,
        Thanks,
    )

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    residents = list(
        Membership.objects.filter(
            neighbourhood=neighbourhood, role__in=(Role.RESIDENT, Role.HOST)
        ).values_list("user_id", "building_id")
    )
    if len(residents) < 2:
        return
    flat_of = dict(residents)
    user_ids = [user_id for user_id, _ in residents]
    flat_names = dict(
        Building.objects.filter(neighbourhood=neighbourhood).values_list("pk", "name")
    )
    talents = {t.slug: t for t in Talent.objects.all()}
    # Who has which talent: suggested neighbours are picked among them where possible.
    gifted: dict[int, list[int]] = {}
    for user_id, talent_id in User.talents.through.objects.filter(
        user__memberships__neighbourhood=neighbourhood
    ).values_list("user_id", "talent_id"):
        gifted.setdefault(talent_id, []).append(user_id)

    def days(low: float, high: float) -> timedelta:
        return timedelta(days=rng.uniform(low, high))

    # What each post is: (created, expires, status, closed, hidden), oldest first.
    plans: list[tuple[datetime, datetime, str, datetime | None, datetime | None]] = []
    for _ in range(live):
        if rng.random() < 0.1:  # renewed once or more
            plans.append((now - days(14, 45), now + days(0.5, 13.5), PostStatus.OPEN, None, None))
        else:
            created = now - days(0, 13.5)
            plans.append((created, created + LIFETIME, PostStatus.OPEN, None, None))
    for _ in range(live // 5):
        created = now - days(2, 90)
        closed = created + (now - created) * rng.uniform(0.05, 0.9)
        status = PostStatus.HELPED if rng.random() < 0.7 else PostStatus.NOT_NEEDED
        plans.append((created, created + LIFETIME, status, closed, None))
    for _ in range(live // 6):
        created = now - days(15, 90)
        plans.append((created, created + LIFETIME, PostStatus.OPEN, None, None))
    for _ in range(max(1, live // 100)):
        created = now - days(0, 13)
        hidden = min(now, created + days(0, 1))
        plans.append((created, created + LIFETIME, PostStatus.OPEN, None, hidden))
    plans.sort(key=lambda plan: plan[0])

    posts = []
    for created, expires, status, closed, hidden in plans:
        side, kind, category, language, title, body = rng.choice(POSTS)
        author = rng.choice(user_ids)
        flat = flat_of[author]
        roll = rng.random()
        audience = (
            Audience.NEIGHBOURHOOD
            if roll < 0.85 or flat is None
            else Audience.FLAT
            if roll < 0.93
            else Audience.SUGGESTED
        )
        building = flat if audience == Audience.FLAT or rng.random() < 0.85 else None
        behalf = side == "ask" and rng.random() < 0.03
        post = Post(
            neighbourhood=neighbourhood,
            author_id=author,
            side=side,
            kind=kind,
            category=talents.get(category) if category else None,
            title=title,
            body=body.format(flat=flat_names.get(flat, "de buurt")),
            when=rng.choice(WHEN),
            part_of_day=rng.choice(("", "", "daytime", "evening", "weekend")),
            language=language,
            building_id=building,
            audience=audience,
            on_behalf_of="mevrouw De Vries" if behalf else "",
            on_behalf_consent_at=created if behalf else None,
            on_behalf_contact="via de buurtkamer, dinsdagochtend" if behalf else "",
            status=status,
            expires_at=expires,
            closed_at=closed,
            hidden_at=hidden,
        )
        post.created = created  # set after the insert: auto_now_add writes "now"
        posts.append(post)
    Post.objects.bulk_create(posts, batch_size=500)
    for post in posts:
        post.created_at = post.created
        post.updated_at = post.closed_at or post.hidden_at or post.created
    # Neither title nor body: the FTS triggers (AFTER UPDATE OF title, body) stay quiet.
    Post.objects.bulk_update(posts, ["created_at", "updated_at"], batch_size=500)

    # Who was asked: every suggested post, and one in ten other asks.
    invitations = []
    for post in posts:
        if not (post.audience == Audience.SUGGESTED or (post.side == "ask" and rng.random() < 0.1)):
            continue
        fitting = [u for u in gifted.get(post.category_id, ()) if u != post.author_id]
        chosen: set[int] = set(rng.sample(fitting, min(len(fitting), rng.randint(2, 4))))
        wanted = rng.randint(3, 6)
        while len(chosen) < wanted:
            other = rng.choice(user_ids)
            if other != post.author_id:
                chosen.add(other)
        for user_id in sorted(chosen):
            reasons = []
            if user_id in fitting and post.category:
                reasons.append({"code": "talent", "value": post.category.slug})
            if post.building_id and flat_of.get(user_id) == post.building_id:
                reasons.append({"code": "flat", "value": ""})
            answer = rng.choice((Answer.WAITING, Answer.WAITING, Answer.YES, Answer.NO))
            sent = min(now, post.created + timedelta(hours=1))
            invitation = Invitation(
                neighbourhood=neighbourhood,
                post=post,
                user_id=user_id,
                sent_by_id=post.author_id,
                reasons=reasons,
                answer=answer,
                answered_at=None if answer == Answer.WAITING else min(now, sent + days(0, 2)),
            )
            invitation.sent = sent
            invitations.append(invitation)
    Invitation.objects.bulk_create(invitations, batch_size=500)
    for invitation in invitations:
        invitation.created_at = invitation.sent
    Invitation.objects.bulk_update(invitations, ["created_at"], batch_size=500)

    # Loans of lent items, one after another: never two holding the item on one day.
    loans = []
    for post in posts:
        if not (post.side == "offer" and post.kind == "borrow"):
            continue
        day = timezone.localtime(post.created).date() + timedelta(days=rng.randint(1, 4))
        # No loans of days after the offer was closed or ran out.
        last = timezone.localtime(post.closed_at or post.expires_at).date()
        for _ in range(rng.randint(0, 3)):
            starts = day
            if starts > last:
                break
            ends = starts + timedelta(days=rng.randint(0, 3))
            day = ends + timedelta(days=rng.randint(1, 5))
            borrower = rng.choice(user_ids)
            if borrower == post.author_id:
                continue
            requested = post.created + (min(now, _at(starts, 9)) - post.created) * rng.random()
            status = _loan_status(starts, ends, today, rng)
            decided = None if status == LoanStatus.REQUESTED else requested + timedelta(hours=5)
            handed = (
                _at(starts, 10) if status in (LoanStatus.HANDED_OVER, LoanStatus.RETURNED) else None
            )
            loan = Loan(
                post=post,
                borrower_id=borrower,
                starts_on=starts,
                ends_on=ends,
                message=rng.choice(("", "", "Graag, dank je!", "Ik haal hem 's ochtends op.")),
                status=status,
                decided_at=decided,
                handed_over_at=handed,
                returned_at=_at(ends, 19) if status == LoanStatus.RETURNED else None,
            )
            loan.requested = requested
            loans.append(loan)
    Loan.objects.bulk_create(loans, batch_size=500)
    for loan in loans:
        loan.created_at = loan.requested
    Loan.objects.bulk_update(loans, ["created_at"], batch_size=500)

    # Thanks: most helped posts from their author, and most returned loans from the borrower.
    thanks = []
    seen: set[tuple[int, int, int]] = set()

    def thank(giver: int, receiver: int, post, at: datetime) -> None:
        if giver == receiver or (giver, receiver, post.pk) in seen:
            return
        seen.add((giver, receiver, post.pk))
        row = Thanks(
            neighbourhood=neighbourhood,
            giver_id=giver,
            receiver_id=receiver,
            post=post,
            category=post.category,
            note=rng.choice(THANKS_NOTES),
            language=post.language,
        )
        row.at = at
        thanks.append(row)

    for post in posts:
        if post.status == PostStatus.HELPED and rng.random() < 0.7:
            thank(post.author_id, rng.choice(user_ids), post, post.closed_at)
    for loan in loans:
        if loan.status == LoanStatus.RETURNED and rng.random() < 0.6:
            thank(loan.borrower_id, loan.post.author_id, loan.post, loan.returned_at)
    Thanks.objects.bulk_create(thanks, batch_size=500)
    for row in thanks:
        row.created_at = row.at
    Thanks.objects.bulk_update(thanks, ["created_at"], batch_size=500)


def _at(day: date, hour: int) -> datetime:
    from django.utils import timezone

    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def _loan_status(starts: date, ends: date, today: date, rng: random.Random) -> str:
    """Where a loan of these days stands today; a few were declined or cancelled."""
    from buurtnet.sharing.models import LoanStatus

    if rng.random() < 0.1:
        return rng.choice((LoanStatus.DECLINED, LoanStatus.CANCELLED))
    if ends < today:
        return LoanStatus.RETURNED
    if starts <= today:
        return LoanStatus.HANDED_OVER
    return LoanStatus.ACCEPTED if rng.random() < 0.6 else LoanStatus.REQUESTED


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version} at {connection.settings_dict['NAME']}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    return f"{version} ({connection.settings_dict['NAME']})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--neighbourhoods", type=int, default=1)
    parser.add_argument("--members", type=int, default=1500, help="residents per neighbourhood")
    parser.add_argument("--initiatives-per", type=int, default=20)
    parser.add_argument("--buildings", type=int, default=8, help="flats per neighbourhood")
    parser.add_argument("--homes", type=int, default=900, help="homes per neighbourhood")
    parser.add_argument(
        "--posts-per-member",
        type=float,
        default=0.2,
        help=f"live asks and offers per member (at least {MIN_LIVE_POSTS}; 0: none)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    for name in ("neighbourhoods", "members", "buildings", "homes"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.initiatives_per < 0:
        parser.error("--initiatives-per cannot be negative")
    if args.posts_per_member < 0:
        parser.error("--posts-per-member cannot be negative")

    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    started = time.monotonic()
    slugs = generate(
        neighbourhoods=args.neighbourhoods,
        members=args.members,
        initiatives_per=args.initiatives_per,
        buildings=args.buildings,
        homes=args.homes,
        seed=args.seed,
        posts_per_member=args.posts_per_member,
        progress=not args.quiet,
    )
    built = (
        slugs[0] if len(slugs) == 1 else f"{len(slugs)} neighbourhoods, {slugs[0]} … {slugs[-1]}"
    )
    print(
        f"Built {built} ({args.members} members each) in {time.monotonic() - started:.1f} s"
        f" into {database_label()}."
    )


if __name__ == "__main__":
    main()
