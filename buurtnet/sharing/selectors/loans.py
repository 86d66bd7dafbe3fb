"""What the lending pages read: a loan with its people, the days an item is taken, and the loans
shown on an offer's page (to its owner all of them, to others only the taken days)."""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format

from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.sharing import permissions
from buurtnet.sharing.models import HOLDING, Loan, LoanStatus, Post
from buurtnet.sharing.services.loans import today_in

# What the owner can do in each state, and the borrower (see services.loans).
OWNER_ACTIONS = {
    LoanStatus.REQUESTED: ("accept", "decline"),
    LoanStatus.ACCEPTED: ("hand_over",),
    LoanStatus.HANDED_OVER: ("returned",),
}
BORROWER_ACTIONS = {
    LoanStatus.REQUESTED: ("cancel",),
    LoanStatus.ACCEPTED: ("cancel",),
}
ACTIONS = ("accept", "decline", "cancel", "hand_over", "returned")


def days_in_words(starts_on: date, ends_on: date, *, today: date) -> str:
    """ "3 December", "3–5 December", "30 November – 2 December" (with the year when it is not
    this year's), month names in the reader's language."""
    other_year = starts_on.year != today.year or ends_on.year != today.year
    end = date_format(ends_on, "j F Y" if other_year else "j F")
    if starts_on == ends_on:
        return end
    if (starts_on.year, starts_on.month) == (ends_on.year, ends_on.month):
        return f"{starts_on.day}–{end}"
    if starts_on.year == ends_on.year:
        return f"{date_format(starts_on, 'j F')} – {end}"
    return f"{date_format(starts_on, 'j F Y')} – {end}"


def loan_of(*, neighbourhood: Neighbourhood, pk: int) -> Loan | None:
    """A loan of the neighbourhood with its item, owner and borrower (one query)."""
    return (
        Loan.objects.select_related("post__neighbourhood", "post__author", "borrower")
        .filter(pk=pk, post__neighbourhood=neighbourhood)
        .first()
    )


def actions_for(membership: Membership | None, loan: Loan) -> tuple[str, ...]:
    """The buttons the member sees on this loan now."""
    if membership is None:
        return ()
    if permissions.can_decide_loan(membership, loan):
        return OWNER_ACTIONS.get(loan.status, ())
    if permissions.can_follow_loan(membership, loan) and membership.user_id == loan.borrower_id:
        return BORROWER_ACTIONS.get(loan.status, ())
    return ()


def taken_spans(post: Post, *, today: date) -> list[str]:
    """The days from today on on which the item is lent (one query); no names."""
    holding = Loan.objects.filter(post=post, status__in=HOLDING, ends_on__gte=today).order_by(
        "starts_on", "id"
    )
    return [
        days_in_words(starts_on, ends_on, today=today)
        for starts_on, ends_on in holding.values_list("starts_on", "ends_on")
    ]


def write_url(*, neighbourhood: Neighbourhood, to_user_id: int, post: Post) -> str:
    """The link that starts (or continues) a private conversation about the item, or "" while
    the conversations app has no such page."""
    query = urlencode({"to": to_user_id, "about": f"sharing.post:{post.pk}"})
    for args in ([neighbourhood.slug], []):
        try:
            return f"{reverse('conversations:start', args=args)}?{query}"
        except NoReverseMatch:
            continue
    return ""


@dataclass
class LoanPage:
    loan: Loan
    is_owner: bool
    is_borrower: bool
    days: str
    actions: tuple[str, ...]
    other: object  # the person on the other side of the loan
    write_url: str


def loan_page(*, loan: Loan, membership: Membership) -> LoanPage:
    """What the loan page shows to its owner or its borrower (no query beyond `loan_of`)."""
    post = loan.post
    is_owner = membership.user_id == post.author_id
    other = loan.borrower if is_owner else post.author
    return LoanPage(
        loan=loan,
        is_owner=is_owner,
        is_borrower=membership.user_id == loan.borrower_id,
        days=days_in_words(loan.starts_on, loan.ends_on, today=today_in(post.neighbourhood)),
        actions=actions_for(membership, loan),
        other=other,
        write_url=write_url(neighbourhood=post.neighbourhood, to_user_id=other.pk, post=post),
    )


@dataclass
class PostLoans:
    """The lending part of an offer's page (template sharing/_post_loans.html)."""

    post: Post
    is_owner: bool
    can_borrow: bool
    # The days from today on the item is lent, in words, for everyone who sees the offer.
    taken: list[str] = field(default_factory=list)
    # The owner's view: requests waiting for them, loans under way or coming, and the history.
    waiting: list[Loan] = field(default_factory=list)
    current: list[Loan] = field(default_factory=list)
    history: list[Loan] = field(default_factory=list)
    # Someone else's view: their own requests and loans of this item.
    mine: list[Loan] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.post.is_lendable

    @property
    def slug(self) -> str:
        return self.post.neighbourhood.slug


def post_loans(*, post: Post, membership: Membership) -> PostLoans:
    """The loans of an offer as the member sees them, in one query (none for another kind of
    post). The caller has checked that the member may see the post; `post.neighbourhood` is
    expected to be loaded already."""
    is_owner = membership.user_id == post.author_id
    result = PostLoans(
        post=post,
        is_owner=is_owner,
        can_borrow=post.is_lendable and not is_owner and post.is_live,
    )
    if not post.is_lendable:
        return result
    today = today_in(post.neighbourhood)
    loans = Loan.objects.filter(post=post).order_by("starts_on", "id")
    if is_owner:
        loans = loans.select_related("borrower")
    else:
        # Others read only the days of the holding loans; their own loans in full.
        loans = loans.filter(
            Q(status__in=HOLDING, ends_on__gte=today) | Q(borrower_id=membership.user_id)
        )
    for loan in loans:
        loan.post = post
        loan.days = days_in_words(loan.starts_on, loan.ends_on, today=today)
        holds = loan.status in HOLDING
        if holds and loan.ends_on >= today:
            result.taken.append(loan.days)
        if is_owner:
            loan.actions = OWNER_ACTIONS.get(loan.status, ())
            if loan.status == LoanStatus.REQUESTED and loan.ends_on >= today:
                result.waiting.append(loan)
            elif loan.status == LoanStatus.REQUESTED:
                loan.actions = ("decline",)  # its days have passed: it can only be closed
                result.history.append(loan)
            elif holds:
                result.current.append(loan)
            else:
                result.history.append(loan)
        elif loan.borrower_id == membership.user_id:
            loan.actions = BORROWER_ACTIONS.get(loan.status, ())
            result.mine.append(loan)
    result.history.reverse()  # the newest first
    return result
