"""Stichting Vrienden van de Hoogbouw in the Ede-Zuid demo: its board, rules and funds, a year of
money in, and three grant requests (one paid and accounted for, one waiting for the board, one
declined), all written through the funding services the pages use.

Votes, decisions and ledger entries are kept as written (the database refuses to change them),
so what the board decided, paid and checked is of today; the requests and their questions are
dated in the weeks before.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F, Max
from django.utils import timezone
from lxml import etree
from PIL import Image, ImageDraw

from buurtnet.funding.models import (
    BankLine,
    BankStatement,
    BoardRole,
    Decision,
    Donation,
    Foundation,
    Fund,
    GrantAttachment,
    GrantMessage,
    GrantRequest,
    GrantVersion,
    LedgerEntry,
    LedgerLine,
    Payment,
    PaymentBatch,
    Receipt,
    SourceKind,
    Vote,
    VoteChoice,
)
from buurtnet.funding.services import board, decisions, grants, money
from buurtnet.funding.services.grants import Budget
from buurtnet.funding.unlock import ledger_unlocked
from buurtnet.initiatives.models import Initiative
from buurtnet.neighbourhoods.models import Membership, Neighbourhood, Organisation
from buurtnet.notifications.models import Kind, Notification
from buurtnet.notifications.unread import unread_count_forget
from buurtnet.people.models import User

FOUNDATION = "vrienden-van-de-hoogbouw"
IBAN = "NL91ABNA0417164300"
ACCOUNT_HOLDER = "Stichting Vrienden van de Hoogbouw"

# Who sits on the board. Priya takes part in the shared dinner, so she may not vote on it.
BOARD = (
    ("sami", BoardRole.CHAIR),
    ("willem", BoardRole.TREASURER),
    ("tom", BoardRole.SECRETARY),
    ("priya", BoardRole.MEMBER),
)
SEATS_GIVEN_BY = "henk"  # a host: someone has to give the first seats

RULES = {
    "max_grant_cents": 100_000,
    "funds_what": (
        "Initiatieven van bewoners van de hoogbouw in Ede-Zuid die buren met elkaar verbinden:"
        " spullen en materiaal, huur van een ruimte, eten en drinken bij een bijeenkomst,"
        " flyers en vertalingen."
    ),
    "does_not_fund": (
        "Loon of vergoedingen voor bewoners, alcohol, activiteiten met winstoogmerk, en wat de"
        " gemeente, Woonstede of een ander fonds al betaalt."
    ),
    "approvals_needed": 2,
    "chair_decides_tie": True,
    "payment_term_days": 14,
    "account_holder": ACCOUNT_HOLDER,
    "iban": IBAN,
}

FREE_FUND_PURPOSE = (
    "Bijdragen van vrienden en giften uit de buurt, voor initiatieven van bewoners. Tot € 1.000"
    " per aanvraag."
)
YOUTH_FUND_NAME = "Jongerenplek — subsidie gemeente"
YOUTH_FUND_PURPOSE = (
    "Subsidie van de gemeente Ede voor activiteiten door en voor jongeren van 12 tot 23 jaar in"
    " de hoogbouw, zoals een startavond en workshops. Niet voor apparaten of meubels. Wat op 31"
    " december niet besteed is, gaat terug naar de gemeente."
)

# Bank lines younger than this come in on the imported statement; older money was recorded
# by hand.
STATEMENT_DAYS = 30


@dataclass(frozen=True)
class Friend:
    """A friend of the foundation who gives every month by standing order."""

    day: int  # the day of the month the money arrives
    cents: int
    bank_name: str
    iban: str
    public_name: str = ""  # only with the friend's consent


FRIENDS = (
    Friend(1, 1000, "FAM BAKKER", "NL20INGB0001234567", "Familie Bakker"),
    Friend(3, 500, "A EL HADDOUTI", "NL04RABO0112233445"),
    Friend(5, 750, "P VERMEULEN", "NL63SNSB0876543210"),
    Friend(25, 1000, "S OZTURK", "NL70INGB0006677889"),
    Friend(28, 1500, "K EN M DE RUITER", "NL27RABO0155667788", "Kees en Marja de Ruiter"),
)


@dataclass(frozen=True)
class Gift:
    days_ago: int
    cents: int
    kind: str
    reference: str
    bank_name: str
    iban: str
    public_name: str = ""
    youth: bool = False  # on the youth fund


GIFTS = (
    Gift(
        300, 40000, SourceKind.DONATION, "Collecte voor de buurt", "KERKGEMEENSCHAP DE ARK",
        "NL63TRIO0212345678", "Kerkgemeenschap De Ark",
    ),
    Gift(
        240, 250000, SourceKind.SUBSIDY, "Subsidie jongerenplek Ede-Zuid", "GEMEENTE EDE",
        "NL94ASNB0707123456", "Gemeente Ede", youth=True,
    ),
    Gift(
        205, 21235, SourceKind.OTHER, "Opbrengst rommelmarkt Berkenhof", "J DE GROOT",
        "NL83ABNA0561234567",
    ),
    Gift(130, 10000, SourceKind.DONATION, "Gift", "R MAHABIER", "NL98INGB0004512345"),
    Gift(6, 5000, SourceKind.DONATION, "Voor de buurt, succes!", "E VISSER", "NL30RABO0301234567"),
)  # fmt: skip


@dataclass(frozen=True)
class MoneyIn:
    received_on: date
    cents: int
    kind: str
    reference: str
    bank_name: str
    iban: str
    public_name: str = ""
    youth: bool = False


def money_in(today: date) -> list[MoneyIn]:
    """Everything received in the twelve months up to today, oldest first."""
    year_ago = today - timedelta(days=365)
    rows = []
    for friend in FRIENDS:
        month = today.replace(day=1)
        for back in range(13):
            first = month - relativedelta(months=back)
            on = first.replace(day=friend.day)
            if year_ago < on <= today:
                rows.append(
                    MoneyIn(
                        on,
                        friend.cents,
                        SourceKind.FRIENDS,
                        f"Vriendenbijdrage {on:%m-%Y}",
                        friend.bank_name,
                        friend.iban,
                        friend.public_name,
                    )
                )
    for gift in GIFTS:
        rows.append(
            MoneyIn(
                today - timedelta(days=gift.days_ago),
                gift.cents,
                gift.kind,
                gift.reference,
                gift.bank_name,
                gift.iban,
                gift.public_name,
                gift.youth,
            )
        )
    return sorted(rows, key=lambda row: (row.received_on, row.bank_name))


# --------------------------------------------------------------------------- files and statements


def receipt_png(lines: list[str]) -> bytes:
    """A small photo of a till receipt."""
    image = Image.new("RGB", (320, 40 + 22 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((16, 16 + 22 * number), line, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def receipt_pdf(lines: list[str]) -> bytes:
    """A one-page PDF invoice with these lines of text (ASCII)."""
    shown = " T* ".join(f"({_pdf_text(line)}) Tj" for line in lines)
    content = f"BT /F1 11 Tf 14 TL 56 780 Td {shown} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


CAMT = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


@dataclass(frozen=True)
class BankEntry:
    booked_on: date
    cents: int  # incoming positive, outgoing negative
    name: str
    iban: str
    remittance: str
    reference: str  # the bank's own reference
    end_to_end_id: str = ""


def _euros(cents: int) -> str:
    return f"{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _el(parent, path: str, text: str | None = None, **attrs):
    """Add the elements of `path` ("A/B/C") under `parent`; the last one gets the text."""
    element = parent
    for tag in path.split("/"):
        element = etree.SubElement(element, f"{{{CAMT}}}{tag}")
    element.attrib.update(attrs)
    element.text = text
    return element


def camt053(
    *, account_iban: str, statement_id: str, entries: list[BankEntry], opening_cents: int
) -> bytes:
    """A CAMT.053.001.02 statement of one account, as a bank gives it for download."""
    first = min(entry.booked_on for entry in entries)
    last = max(entry.booked_on for entry in entries)
    created = f"{last.isoformat()}T18:00:00"
    root = etree.Element(f"{{{CAMT}}}Document", nsmap={None: CAMT})
    message = _el(root, "BkToCstmrStmt")
    header = _el(message, "GrpHdr")
    _el(header, "MsgId", f"MSG-{statement_id}")
    _el(header, "CreDtTm", created)
    statement = _el(message, "Stmt")
    _el(statement, "Id", statement_id)
    _el(statement, "CreDtTm", created)
    account = _el(statement, "Acct")
    _el(account, "Id/IBAN", account_iban)
    _el(account, "Ccy", "EUR")
    closing = opening_cents + sum(entry.cents for entry in entries)
    for code, cents, on in (("OPBD", opening_cents, first), ("CLBD", closing, last)):
        balance = _el(statement, "Bal")
        _el(balance, "Tp/CdOrPrtry/Cd", code)
        _el(balance, "Amt", _euros(cents), Ccy="EUR")
        _el(balance, "CdtDbtInd", "CRDT" if cents >= 0 else "DBIT")
        _el(balance, "Dt/Dt", on.isoformat())
    for entry in sorted(entries, key=lambda e: e.booked_on):
        incoming = entry.cents > 0
        ntry = _el(statement, "Ntry")
        _el(ntry, "Amt", _euros(entry.cents), Ccy="EUR")
        _el(ntry, "CdtDbtInd", "CRDT" if incoming else "DBIT")
        _el(ntry, "Sts", "BOOK")
        _el(ntry, "BookgDt/Dt", entry.booked_on.isoformat())
        _el(ntry, "ValDt/Dt", entry.booked_on.isoformat())
        _el(ntry, "AcctSvcrRef", entry.reference)
        domain = _el(ntry, "BkTxCd/Domn")
        _el(domain, "Cd", "PMNT")
        family = _el(domain, "Fmly")
        _el(family, "Cd", "RCDT" if incoming else "ICDT")
        _el(family, "SubFmlyCd", "ESCT")
        details = _el(ntry, "NtryDtls/TxDtls")
        _el(details, "Refs/EndToEndId", entry.end_to_end_id or "NOTPROVIDED")
        _el(details, "AmtDtls/TxAmt/Amt", _euros(entry.cents), Ccy="EUR")
        party, party_account = ("Dbtr", "DbtrAcct") if incoming else ("Cdtr", "CdtrAcct")
        parties = _el(details, "RltdPties")
        _el(parties, f"{party}/Nm", entry.name)
        _el(parties, f"{party_account}/Id/IBAN", entry.iban)
        _el(details, "RmtInf/Ustrd", entry.remittance)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ------------------------------------------------------------------------------------ the story


class _Demo:
    """The people, the foundation and the clock of one load."""

    def __init__(self, *, neighbourhood: Neighbourhood, people: dict[str, User], now: datetime):
        self.neighbourhood = neighbourhood
        self.people = people
        self.now = now
        self.today = timezone.localdate()
        self._members: dict[str, Membership] = {}

    def m(self, key: str) -> Membership:
        """The membership the services take for a demo person."""
        if key not in self._members:
            membership = Membership.objects.select_related("neighbourhood").get(
                user=self.people[key], neighbourhood=self.neighbourhood
            )
            membership.user = self.people[key]
            self._members[key] = membership
        return self._members[key]

    def ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    @contextmanager
    def on(self, days_ago: float | None):
        """Notifications written inside are dated `days_ago` (None: left as they are)."""
        floor = _last_notification()
        yield
        if days_ago is not None:
            Notification.objects.filter(pk__gt=floor).update(created_at=self.ago(days_ago))

    def dated(self, grant: GrantRequest, *, started: float, submitted: float) -> None:
        """The request was started and sent to the board that many days ago."""
        GrantRequest.objects.filter(pk=grant.pk).update(
            created_at=self.ago(started), submitted_at=self.ago(submitted)
        )
        GrantVersion.objects.filter(request=grant).update(
            created_at=self.ago(started), submitted_at=self.ago(submitted)
        )

    def say(
        self, key: str, grant: GrantRequest, text: str, language: str, days_ago: float | None
    ) -> GrantMessage:
        with self.on(days_ago):
            message = grants.grant_message_post(
                by=self.m(key), grant=grant, text=text, language=language
            )
        if days_ago is not None:
            GrantMessage.objects.filter(pk=message.pk).update(created_at=self.ago(days_ago))
        return message


def _last_notification() -> int:
    return Notification.objects.aggregate(last=Max("pk"))["last"] or 0


def load(
    *,
    neighbourhood: Neighbourhood,
    organisations: dict[str, Organisation],
    initiatives: dict[str, Initiative],
    people: dict[str, User],
    now: datetime | None = None,
) -> Foundation:
    """The foundation's year; the caller runs it inside the demo's transaction."""
    from buurtnet.demo.ede_zuid import COFFEE, DINNER, YOUTH_PLACE

    demo = _Demo(neighbourhood=neighbourhood, people=people, now=now or timezone.now())
    first_notification = _last_notification()
    foundation = board.foundation_of(organisations[FOUNDATION])
    if foundation.seats.exists() or foundation.donations.exists():
        return foundation

    for key, role in BOARD:
        board.seat_grant(
            by=demo.m(SEATS_GIVEN_BY), foundation=foundation, member=demo.m(key), role=role
        )
    foundation = Foundation.objects.get(pk=foundation.pk)
    board.rules_update(by=demo.m("sami"), foundation=foundation, **RULES)
    treasurer = demo.m("willem")
    funds = {  # by whether the money is for the youth room
        False: board.fund_save(
            by=treasurer,
            foundation=foundation,
            name=f"Initiatieven {demo.today.year}",
            purpose=FREE_FUND_PURPOSE,
        ),
        True: board.fund_save(
            by=treasurer,
            foundation=foundation,
            name=YOUTH_FUND_NAME,
            purpose=YOUTH_FUND_PURPOSE,
            earmarked=True,
            ends_on=date(demo.today.year, 12, 31),
        ),
    }

    # Money in: recorded by hand, except the last weeks, which come with the bank statement.
    statement_from = demo.today - timedelta(days=STATEMENT_DAYS)
    received = money_in(demo.today)
    for row in received:
        if row.received_on <= statement_from:
            _record(foundation, treasurer, funds[row.youth], row)

    dinner, payment = _dinner(demo, foundation, initiatives[DINNER], funds[False])
    _coffee(demo, foundation, initiatives[COFFEE], funds[False])
    _youth_room(demo, foundation, initiatives[YOUTH_PLACE], funds[True])

    # The bank statement of the last weeks: the grant paid, and money that came in.
    recent = [row for row in received if row.received_on > statement_from]
    opening = sum(row.cents for row in received if row.received_on <= statement_from)
    came_in = {
        f"ABN-{row.received_on:%Y%m%d}-{number}": row for number, row in enumerate(recent, start=1)
    }
    entries = [
        BankEntry(row.received_on, row.cents, row.bank_name, row.iban, row.reference, reference)
        for reference, row in came_in.items()
    ]
    entries.append(
        BankEntry(
            demo.today,
            -payment.amount_cents,
            dinner.account_holder,
            dinner.iban,
            f"Buurtnet {dinner.pk} - {dinner.initiative.title}",
            f"ABN-{demo.today:%Y%m%d}-OUT1",
            payment.end_to_end_id,
        )
    )
    statement = money.statement_import(
        by=treasurer,
        foundation=foundation,
        data=camt053(
            account_iban=IBAN,
            statement_id=demo.today.strftime("%Y-%m-%d"),
            entries=entries,
            opening_cents=opening,
        ),
        file_name=f"afschrift-{demo.today.isoformat()}.xml",
    )
    incoming = BankLine.objects.filter(statement=statement, amount_cents__gt=0)
    for line in incoming.order_by("position"):
        row = came_in[line.bank_reference]
        _record(foundation, treasurer, funds[row.youth], row, bank_line=line)

    _dinner_receipts(demo, dinner)
    _quiet(demo, first_notification)
    return foundation


def _record(
    foundation: Foundation,
    treasurer: Membership,
    fund: Fund,
    row: MoneyIn,
    bank_line: BankLine | None = None,
) -> Donation:
    return money.donation_record(
        by=treasurer,
        foundation=foundation,
        fund=fund,
        amount_cents=row.cents,
        received_on=row.received_on,
        source_kind=row.kind,
        public_name=row.public_name,
        name_consent=bool(row.public_name),
        reference=row.reference,
        bank_line=bank_line,
    )


DINNER_LINES = [
    ("Twee warmhoudschalen (chafing dishes)", 12000),
    ("Vier grote ovenschalen", 8000),
    ("Snijplanken en koksmessen", 5000),
]
DINNER_RECEIPTS = [
    # (budget line, what was bought, cents, file name, kind of file, who adds it)
    (0, "Twee warmhoudschalen, groothandel Ede", 12115, "factuur-warmhoudschalen.pdf", "pdf",
     "fatima"),
    (1, "Vier ovenschalen 40 x 30 cm", 7980, "bon-ovenschalen.png", "png", "fatima"),
    (2, "Drie snijplanken en twee koksmessen", 4905, "bon-kookwinkel.png", "png", "khadija"),
]  # fmt: skip


def _dinner(
    demo: _Demo, foundation: Foundation, dinner: Initiative, fund: Fund
) -> tuple[GrantRequest, Payment]:
    """The shared dinner asks € 250 for kitchen things; two approvals; paid by bank file."""
    fatima = demo.m("fatima")
    with demo.on(24):
        grant = grants.grant_request_start(
            by=fatima,
            foundation=foundation,
            initiative=dinner,
            fund=fund,
            budget=Budget(
                amount_cents=25000,
                purpose="Elke maand komen er nu bijna veertig buren eten. Het eten wordt koud"
                " voordat iedereen aan tafel zit, en we koken in te kleine schalen. Met"
                " warmhoudschalen en grote ovenschalen kan iedereen tegelijk eten, en met goede"
                " messen en snijplanken kunnen vier koks tegelijk aan de slag.",
                needed_by=demo.today + timedelta(days=14),
                lines=DINNER_LINES,
            ),
            account_holder="Samen koken en eten Elskamp",
            iban="NL97RABO0334455667",
        )
    with demo.on(23):
        grants.grant_submit(by=fatima, grant=grant)
    demo.dated(grant, started=24, submitted=23)
    demo.say(
        "sami",
        grant,
        "Mooi plan! Twee vragen: waar hebben jullie de warmhoudschalen gezien, en waar bewaren"
        " jullie de spullen tussen de etentjes?",
        "nl",
        21,
    )
    demo.say(
        "fatima",
        grant,
        "شكرًا على السؤال! رأينا أطباق التسخين في متجر الجملة في إيده، بستين يورو للقطعة."
        " سنحفظ كل شيء في الخزانة المقفلة في مطبخ الإلسكامب، والمفتاح معي ومع خديجة.",
        "ar",
        20,
    )
    with demo.on(20):
        quote = grants.grant_attachment_add(
            by=fatima,
            grant=grant,
            upload=SimpleUploadedFile(
                "offerte-groothandel.pdf",
                receipt_pdf(
                    [
                        "Offerte - Horeca Groothandel Ede",
                        "2 x chafing dish GN 1/1     EUR 120,00",
                        "4 x ovenschaal 40 x 30 cm   EUR  80,00",
                        "Geldig tot en met einde van de maand",
                    ]
                ),
                "application/pdf",
            ),
            description="Offerte van de groothandel",
        )
    GrantAttachment.objects.filter(pk=quote.pk).update(created_at=demo.ago(20))
    demo.say(
        "khadija",
        grant,
        "Aanvulling van Khadija: de messen en snijplanken kopen we bij de kookwinkel in de"
        " Grotestraat, die geeft ons tien procent korting.",
        "nl",
        19,
    )
    decisions.grant_vote(
        by=demo.m("sami"),
        grant=grant,
        choice=VoteChoice.APPROVE,
        reason="Precies waar we voor zijn: samen eten, voor de hele flat.",
    )
    decisions.grant_vote(
        by=demo.m("willem"),
        grant=grant,
        choice=VoteChoice.APPROVE,
        reason="De begroting klopt en de prijzen zijn gewoon.",
    )
    treasurer = demo.m("willem")
    payment = money.payment_mark(by=treasurer, grant=grant, amount_cents=25000)
    money.payments_file(by=treasurer, foundation=foundation, execution_date=demo.today)
    payment.refresh_from_db()
    grant.refresh_from_db()
    return grant, payment


def _dinner_receipts(demo: _Demo, grant: GrantRequest) -> None:
    """The cooks show what they bought; the treasurer accepts every receipt."""
    for line, what, cents, name, kind, key in DINNER_RECEIPTS:
        text = [
            f"Ede, {demo.today:%d-%m-%Y}",
            what,
            f"Totaal EUR {cents // 100},{cents % 100:02d}",
            "Betaald - dank u wel",
        ]
        if kind == "pdf":
            upload = SimpleUploadedFile(name, receipt_pdf(text), "application/pdf")
        else:
            upload = SimpleUploadedFile(name, receipt_png(text), "image/png")
        receipt = money.receipt_add(
            by=demo.m(key),
            grant=grant,
            description=what,
            amount_cents=cents,
            spent_on=demo.today,
            upload=upload,
            budget_line=DINNER_LINES[line][0],
        )
        money.receipt_check(by=demo.m("willem"), receipt=receipt, accept=True)


def _coffee(demo: _Demo, foundation: Foundation, coffee: Initiative, fund: Fund) -> GrantRequest:
    """The coffee mornings ask for cups and thermos flasks; one board member voted so far."""
    joke = demo.m("joke")
    with demo.on(9):
        grant = grants.grant_request_start(
            by=joke,
            foundation=foundation,
            initiative=coffee,
            fund=fund,
            budget=Budget(
                amount_cents=18000,
                purpose="Op woensdag komen er nu meer dan twintig buren. We hebben te weinig"
                " kopjes, en de Turkse thee wordt koud. Een bord bij de deur in vier talen"
                " laat nieuwe buren zien dat ze welkom zijn.",
                needed_by=demo.today + timedelta(days=30),
                lines=[
                    ("Dertig koffiekopjes met schoteltjes", 7500),
                    ("Twee grote thermoskannen voor thee", 5500),
                    ("Bord bij de deur in vier talen", 5000),
                ],
            ),
            account_holder="Koffieochtend Elskamp",
            iban="NL18INGB0007788990",
        )
        grants.grant_submit(by=joke, grant=grant)
    demo.dated(grant, started=9, submitted=9)
    demo.say(
        "tom",
        grant,
        "Woonstede already paid for the new coffee machine. What are the thermos flasks for?",
        "en",
        6,
    )
    demo.say(
        "mehmet",
        grant,
        "Termoslar çay için. Türk çayını demlikte yapıyoruz ve sıcak kalması için termos"
        " lazım. Kahve makinesi sadece kahve yapıyor.",
        "tr",
        5,
    )
    demo.say(
        "joke",
        grant,
        "Mehmet legt uit dat de thermoskannen voor de thee zijn; het koffiezetapparaat maakt"
        " alleen koffie.",
        "nl",
        5,
    )
    decisions.grant_vote(
        by=demo.m("sami"),
        grant=grant,
        choice=VoteChoice.APPROVE,
        reason="Een kleine aanvraag voor iets wat elke week twintig buren samenbrengt.",
    )
    GrantRequest.objects.filter(pk=grant.pk).update(updated_at=demo.ago(5))
    return grant


def _youth_room(demo: _Demo, foundation: Foundation, youth: Initiative, fund: Fund) -> GrantRequest:
    """The youth room asks the youth fund for a television and a game console: declined, since
    the municipality's money is for activities."""
    abdi = demo.m("abdi")
    with demo.on(16):
        grant = grants.grant_request_start(
            by=abdi,
            foundation=foundation,
            initiative=youth,
            fund=fund,
            budget=Budget(
                amount_cents=45000,
                purpose="Voor de jongerenhoek in de ontmoetingsplek: een tv en een spelcomputer,"
                " zodat jongeren op de avonden iets te doen hebben en elkaar leren kennen.",
                needed_by=demo.today + timedelta(days=21),
                lines=[
                    ("Tweedehands tv (55 inch)", 15000),
                    ("Spelcomputer met vier controllers", 30000),
                ],
            ),
            account_holder="Jongerenplek Ede-Zuid",
            iban="NL49TRIO0390123456",
        )
    with demo.on(15):
        grants.grant_submit(by=abdi, grant=grant)
    demo.dated(grant, started=16, submitted=15)
    demo.say(
        "willem",
        grant,
        "Blijven de tv en de spelcomputer in de jongerenhoek staan? En wie beheert ze?",
        "nl",
        12,
    )
    demo.say(
        "rojda",
        grant,
        "Ja, ze komen in een kast die op slot kan. Abdi en ik hebben de sleutel.",
        "nl",
        11,
    )
    decisions.grant_vote(
        by=demo.m("willem"),
        grant=grant,
        choice=VoteChoice.DECLINE,
        reason="De subsidie van de gemeente is voor activiteiten met jongeren, niet voor"
        " apparaten.",
    )
    decisions.grant_vote(
        by=demo.m("tom"),
        grant=grant,
        choice=VoteChoice.DECLINE,
        reason="Agree with Willem: the subsidy pays for activities. We would gladly fund the"
        " launch evening and a music workshop.",
    )
    demo.say(
        "sami",
        grant,
        "Jammer, maar de subsidie is echt voor activiteiten. Vraag de startavond en de"
        " muziekworkshop aan uit dit fonds, dan kijken we er snel naar. Een bank en een tv"
        " vinden we misschien via de kringloop.",
        "nl",
        None,
    )
    return grant


def _quiet(demo: _Demo, first: int) -> None:
    """The notifications this story wrote were mailed when they were written (no mail goes out
    for sample data). Those older than two days have been read, and so have the receipts the
    treasurer checked at once."""
    written = Notification.objects.filter(pk__gt=first)
    recipients = set(written.values_list("recipient_id", flat=True))
    written.update(emailed_at=F("created_at"))
    written.filter(created_at__lt=demo.ago(2)).update(read_at=F("created_at") + timedelta(hours=3))
    written.filter(kind=Kind.RECEIPT_ADDED).update(read_at=F("created_at"))
    unread_count_forget(user_ids=recipients)


# ----------------------------------------------------------------------------------- removing


def remove(*, neighbourhood_slug: str) -> None:
    """Delete the foundations of a neighbourhood with everything they keep, files included.

    Votes, decisions and the ledger are never deleted otherwise; deleting the demo may.
    """
    foundations = Foundation.objects.filter(neighbourhood__slug=neighbourhood_slug)
    if not foundations.exists():
        return
    with ledger_unlocked():
        files = [
            *Receipt.objects.filter(grant__foundation__in=foundations),
            *GrantAttachment.objects.filter(request__foundation__in=foundations),
        ]
        for row in files:
            row.file.delete(save=False)
        LedgerLine.objects.filter(entry__foundation__in=foundations).delete()
        entries = LedgerEntry.objects.filter(foundation__in=foundations)
        while entries.exists():  # a reversal first, then what it reversed
            entries.filter(reversed_by__isnull=True).delete()
        BankStatement.objects.filter(foundation__in=foundations).delete()
        Receipt.objects.filter(grant__foundation__in=foundations).delete()
        Payment.objects.filter(grant__foundation__in=foundations).delete()
        PaymentBatch.objects.filter(foundation__in=foundations).delete()
        decided = Decision.objects.filter(request__foundation__in=foundations)
        while decided.exists():
            decided.filter(reversed_by__isnull=True).delete()
        Vote.objects.filter(request__foundation__in=foundations).delete()
        GrantRequest.objects.filter(foundation__in=foundations).delete()
        Donation.objects.filter(foundation__in=foundations).delete()
        foundations.delete()
