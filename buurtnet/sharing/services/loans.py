"""Lending an offered item: a request with dates, the owner's yes or no, handing over, return.

requested → accepted → handed_over → returned; requested → declined; requested or accepted →
cancelled (by the borrower). Two loans that hold the item (accepted or handed over) never share
a day: each service locks the offer's row before it looks, so two decisions on one item queue,
and the database refuses an overlap from any other path (migration 0002).

A refusal because of the loan's or the item's state is a `LoanConflict` (the pages answer 409);
a refusal of what was typed is a plain ValidationError (400); someone without the right gets
PermissionDenied.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.selectors import blocked_between
from buurtnet.sharing import permissions
from buurtnet.sharing.models import HOLDING, Loan, LoanStatus, Post

# A loan lasts at most this many days, the first and the last included.
MAX_LOAN_DAYS = 90
MESSAGE_MAX = 500
REASON_MAX = 300


class LoanConflict(ValidationError):
    """The loan or the item is not in a state that allows this step (answered with 409)."""


def taken_message() -> str:
    return _("Someone already borrows it on these days.")


def today_in(neighbourhood: Neighbourhood) -> date:
    """The date it is now where the neighbourhood is."""
    try:
        tz = ZoneInfo(neighbourhood.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo(settings.TIME_ZONE)
    return timezone.localdate(timezone=tz)


def dates_errors(*, starts_on: date | None, ends_on: date | None, today: date) -> dict:
    """What is wrong with the days asked for, per field (empty when they are fine)."""
    errors: dict[str, str] = {}
    if starts_on is not None and starts_on < today:
        errors["starts_on"] = _("Choose a day from today on.")
    if starts_on is not None and ends_on is not None:
        if ends_on < starts_on:
            errors["ends_on"] = _("The last day cannot come before the first.")
        elif (ends_on - starts_on).days + 1 > MAX_LOAN_DAYS:
            errors["ends_on"] = _("You can borrow something for at most %(days)s days.") % {
                "days": MAX_LOAN_DAYS
            }
    return errors


def loan_url(loan: Loan) -> str:
    return reverse("sharing:loan", args=[loan.post.neighbourhood.slug, loan.pk])


def _locked_post(post_id: int) -> Post:
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "author")
        .get(pk=post_id)
    )


def _locked(loan: Loan) -> Loan:
    """The offer's row first, then the loan's: every step on one item queues in that order."""
    post = _locked_post(loan.post_id)
    locked = Loan.objects.select_for_update(of=("self",)).select_related("borrower").get(pk=loan.pk)
    locked.post = post
    return locked


def _not_now(loan: Loan) -> LoanConflict:
    """The step asked for does not follow from where the loan is now."""
    messages = {
        LoanStatus.REQUESTED: _("This request is still waiting for the owner."),
        LoanStatus.ACCEPTED: _("This request is already accepted."),
        LoanStatus.DECLINED: _("This request was declined."),
        LoanStatus.CANCELLED: _("This request was cancelled."),
        LoanStatus.HANDED_OVER: _("This item is already handed over."),
        LoanStatus.RETURNED: _("This item is already back with its owner."),
    }
    return LoanConflict(
        _("That is not possible now: %(state)s") % {"state": messages[LoanStatus(loan.status)]},
        code="status",
    )


def _deny_unless_owner(by: Membership, loan: Loan) -> None:
    if not permissions.can_decide_loan(by, loan):
        raise PermissionDenied(_("Only the owner of the item can do that."))


def _set_status(loan: Loan, status: str, **moments: datetime) -> None:
    loan.status = status
    for name, value in moments.items():
        setattr(loan, name, value)
    loan.save(update_fields=["status", *moments])


@transaction.atomic
def loan_request(
    *, by: Membership, post: Post, starts_on: date, ends_on: date, message: str = ""
) -> Loan:
    """A neighbour asks to borrow an offered item on some days; its owner decides."""
    post = _locked_post(post.pk)
    if not permissions.can_view(by, post):
        raise PermissionDenied(_("You cannot see this offer."))
    if not post.is_lendable:
        raise LoanConflict(_("This offer is not something to borrow."), code="not_lendable")
    if by.user_id == post.author_id:
        raise PermissionDenied(_("This is your own item: you cannot borrow it."))
    if blocked_between(by.user_id, post.author_id):
        raise PermissionDenied(_("You cannot borrow from this neighbour."))
    if post.hidden_at is not None or not post.is_live:
        raise LoanConflict(
            _("This offer is closed or no longer up: you can no longer borrow it."),
            code="not_live",
        )
    message = (message or "").strip()
    errors = dates_errors(starts_on=starts_on, ends_on=ends_on, today=today_in(post.neighbourhood))
    if len(message) > MESSAGE_MAX:
        errors["message"] = _("Keep your word for the owner under %(count)s characters.") % {
            "count": MESSAGE_MAX
        }
    if errors:
        raise ValidationError(errors)
    loan = Loan.objects.create(
        post=post, borrower=by.user, starts_on=starts_on, ends_on=ends_on, message=message
    )
    notify(
        recipients=[post.author],
        kind=Kind.LOAN_REQUESTED,
        actor=by.user,
        params={
            "title": post.title,
            "from_iso": starts_on.isoformat(),
            "until_iso": ends_on.isoformat(),
        },
        url=loan_url(loan),
    )
    return loan


def overlapping_holds(loan: Loan):
    """The loans that hold the item on one of this loan's days."""
    return Loan.objects.filter(
        post_id=loan.post_id,
        status__in=HOLDING,
        starts_on__lte=loan.ends_on,
        ends_on__gte=loan.starts_on,
    ).exclude(pk=loan.pk)


@transaction.atomic
def loan_accept(*, by: Membership, loan: Loan) -> Loan:
    """The owner says yes: the item is the borrower's on those days."""
    loan = _locked(loan)
    _deny_unless_owner(by, loan)
    if loan.status != LoanStatus.REQUESTED:
        raise _not_now(loan)
    if loan.post.hidden_at is not None:
        raise LoanConflict(_("This offer is hidden: it cannot be lent now."), code="hidden")
    if blocked_between(loan.post.author_id, loan.borrower_id):
        raise LoanConflict(_("You cannot lend to this neighbour."), code="blocked")
    if loan.ends_on < today_in(loan.post.neighbourhood):
        raise LoanConflict(_("These days have passed."), code="past")
    # The offer's row is locked: another acceptance of this item waits here until this one is
    # committed, then sees it.
    if overlapping_holds(loan).exists():
        raise LoanConflict(taken_message(), code="taken")
    try:
        with transaction.atomic():
            _set_status(loan, LoanStatus.ACCEPTED, decided_at=timezone.now())
    except IntegrityError as exc:
        # The database's own refusal (migration 0002), for a writer that did not queue here.
        loan.status = LoanStatus.REQUESTED
        raise LoanConflict(taken_message(), code="taken") from exc
    notify(
        recipients=[loan.borrower],
        kind=Kind.LOAN_DECIDED,
        actor=by.user,
        params={"title": loan.post.title, "decision_code": "approved"},
        url=loan_url(loan),
    )
    return loan


@transaction.atomic
def loan_decline(*, by: Membership, loan: Loan, reason: str = "") -> Loan:
    """The owner says no, with a reason if they like."""
    loan = _locked(loan)
    _deny_unless_owner(by, loan)
    if loan.status != LoanStatus.REQUESTED:
        raise _not_now(loan)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(count)s characters.") % {"count": REASON_MAX}}
        )
    _set_status(loan, LoanStatus.DECLINED, decided_at=timezone.now())
    params = {"title": loan.post.title, "decision_code": "declined"}
    if reason:
        params["reason"] = reason
    notify(
        recipients=[loan.borrower],
        kind=Kind.LOAN_DECIDED,
        actor=by.user,
        params=params,
        url=loan_url(loan),
    )
    return loan


@transaction.atomic
def loan_cancel(*, by: Membership, loan: Loan) -> Loan:
    """The borrower calls off their request, or a loan not yet handed over."""
    loan = _locked(loan)
    if not (permissions.can_follow_loan(by, loan) and by.user_id == loan.borrower_id):
        raise PermissionDenied(_("Only the borrower can cancel this request."))
    if not permissions.can_cancel_loan(by, loan):
        raise _not_now(loan)
    _set_status(loan, LoanStatus.CANCELLED)
    return loan


@transaction.atomic
def loan_hand_over(*, by: Membership, loan: Loan) -> Loan:
    """The owner gave the item to the borrower."""
    loan = _locked(loan)
    _deny_unless_owner(by, loan)
    if loan.status != LoanStatus.ACCEPTED:
        raise _not_now(loan)
    _set_status(loan, LoanStatus.HANDED_OVER, handed_over_at=timezone.now())
    return loan


@transaction.atomic
def loan_return(*, by: Membership, loan: Loan) -> Loan:
    """The owner has the item back: the loan is over."""
    loan = _locked(loan)
    _deny_unless_owner(by, loan)
    if loan.status != LoanStatus.HANDED_OVER:
        raise _not_now(loan)
    _set_status(loan, LoanStatus.RETURNED, returned_at=timezone.now())
    return loan


def loans_remind_due(*, now: datetime | None = None) -> int:
    """On the last day of a loan, in the neighbourhood's time zone, tell the borrower and the
    owner that the item goes back today; returns how many loans were reminded.

    Each loan is claimed by a conditional UPDATE of `reminded_on`, committed together with its
    notifications: run twice (or on two machines at once), it reminds once.
    """
    now = now or timezone.now()
    utc_today = now.astimezone(ZoneInfo("UTC")).date()
    # Every time zone's today lies within a day of UTC's.
    candidates = Loan.objects.filter(
        status=LoanStatus.HANDED_OVER,
        reminded_on__isnull=True,
        ends_on__gte=utc_today - timedelta(days=1),
        ends_on__lte=utc_today + timedelta(days=1),
    ).select_related("post__neighbourhood", "post__author", "borrower")
    reminded = 0
    for loan in candidates:
        try:
            tz = ZoneInfo(loan.post.neighbourhood.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            tz = ZoneInfo(settings.TIME_ZONE)
        today = now.astimezone(tz).date()
        if loan.ends_on != today:
            continue
        with transaction.atomic():
            claimed = Loan.objects.filter(
                pk=loan.pk, status=LoanStatus.HANDED_OVER, reminded_on__isnull=True
            ).update(reminded_on=today)
            if not claimed:
                continue
            notify(
                recipients=[u for u in (loan.borrower, loan.post.author) if u.is_active],
                kind=Kind.LOAN_RETURN_DUE,
                params={"title": loan.post.title},
                url=loan_url(loan),
            )
        reminded += 1
    return reminded
