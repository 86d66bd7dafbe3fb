"""Reports and what hosts do about them. Every action is a new Action row, never edited."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from buurtnet.conversations.models import Message
from buurtnet.moderation import permissions
from buurtnet.moderation.models import Action, ActionKind, Reason, Report, ReportStatus
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.access import UNTIL_LIFTED
from buurtnet.neighbourhoods.models import Membership, Neighbourhood, Role
from buurtnet.notifications.models import Kind
from buurtnet.notifications.services import notify
from buurtnet.people.models import User
from buurtnet.sharing.asked import asked_counts_forget_for_post
from buurtnet.sharing.models import Post

# A member makes at most this many reports an hour (counted in the database).
REPORTS_PER_HOUR = 10
DETAILS_MAX = 2000
REASON_MAX = 1000
# How long a host may suspend someone for.
SUSPENSIONS = {
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
    "lifted": UNTIL_LIFTED,
}

ALREADY_REPORTED = "already_reported"
TOO_MANY = "too_many_reports"
ALREADY_HANDLED = "already_handled"


def _reason_text(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Please write why: the member reads it.")}, code="required"
        )
    if "\x00" in reason:
        raise ValidationError({"reason": _("Null characters are not allowed.")}, code="invalid")
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {
                "reason": _("Please keep this to %(max)s characters (it has %(length)s).")
                % {"max": REASON_MAX, "length": len(reason)}
            },
            code="max_length",
        )
    return reason


def about_of(target) -> User:
    """Whose it is: the author of an ask, offer or message, or the member reported."""
    if isinstance(target, Post | Message):
        return target.author
    return target


def report_make(
    *, neighbourhood: Neighbourhood, reporter: User, target, reason: str, details: str = ""
) -> Report:
    """A member reports an ask or offer, a message or a member; the hosts hear of it."""
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Please choose what is wrong.")}, code="invalid")
    details = (details or "").strip()
    if "\x00" in details:
        raise ValidationError({"details": _("Null characters are not allowed.")})
    if len(details) > DETAILS_MAX:
        raise ValidationError(
            {
                "details": _("Please keep this to %(max)s characters (it has %(length)s).")
                % {"max": DETAILS_MAX, "length": len(details)}
            }
        )
    about = about_of(target)
    if about.pk == reporter.pk:
        raise ValidationError(_("You cannot report yourself or what you wrote."), code="self")
    target_type = ContentType.objects.get_for_model(type(target))
    with transaction.atomic():
        # The reporter's row serialises their own reports, so the hourly count holds.
        User.objects.select_for_update().filter(pk=reporter.pk).first()
        since = timezone.now() - timedelta(hours=1)
        if Report.objects.filter(reporter=reporter, created_at__gte=since).count() >= (
            REPORTS_PER_HOUR
        ):
            raise ValidationError(
                _(
                    "You made many reports in the last hour. Please wait a while: the hosts "
                    "look at every report."
                ),
                code=TOO_MANY,
            )
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    neighbourhood=neighbourhood,
                    reporter=reporter,
                    target_type=target_type,
                    target_id=target.pk,
                    about=about,
                    reason=reason,
                    details=details,
                )
        except IntegrityError as error:
            raise ValidationError(
                _("You reported this already. A host will look at it."), code=ALREADY_REPORTED
            ) from error
        hosts = (
            get_user_model()
            .objects.filter(
                memberships__neighbourhood=neighbourhood,
                memberships__role=Role.HOST,
                is_active=True,
            )
            .exclude(pk=about.pk)
        )
        notify(
            recipients=hosts,
            kind=Kind.REPORT_RECEIVED,
            actor=reporter,
            params={"neighbourhood": neighbourhood.name},
            url=reverse("moderation:report_detail", args=[neighbourhood.slug, report.pk]),
        )
    return report


# --- What hosts do ------------------------------------------------------------------------------


def _locked_report(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "about")
        .get(pk=report.pk)
    )


def _check_host(host: Membership, report: Report) -> None:
    if host.neighbourhood_id != report.neighbourhood_id or not host.is_host:
        raise PermissionDenied(_("Only the hosts of this neighbourhood decide about reports."))
    if not permissions.may_act_on(host, report.about):
        raise PermissionDenied(_("This report is about you, so another host decides about it."))


def _close(report: Report, status: str) -> None:
    if report.status == ReportStatus.OPEN:
        report.status = status
        report.handled_at = timezone.now()
        report.save(update_fields=["status", "handled_at"])


def _record(
    *, report: Report, host: Membership, kind: str, reason: str, suspended_until=None
) -> Action:
    return Action.objects.create(
        neighbourhood_id=report.neighbourhood_id,
        report=report,
        host=host.user,
        kind=kind,
        member=report.about,
        reason=reason,
        suspended_until=suspended_until,
    )


def _tell(*, report: Report, host: Membership, code: str, reason: str, title: str = "", url=""):
    params = {
        "neighbourhood": report.neighbourhood.name,
        "moderation_code": code,
        "reason": reason,
    }
    if title:
        params["title"] = title
    notify(
        recipients=[report.about],
        kind=Kind.MODERATION,
        actor=host.user,
        params=params,
        url=url,
    )


def _target(report: Report):
    model = report.target_type.model_class()
    return model._default_manager.select_for_update().filter(pk=report.target_id).first()


def content_hide(*, report: Report, host: Membership, reason: str) -> Action:
    """Hide the reported ask, offer or message; its author hears why."""
    reason = _reason_text(reason)
    with transaction.atomic():
        report = _locked_report(report)
        _check_host(host, report)
        target = _target(report)
        if not isinstance(target, Post | Message):
            raise ValidationError(
                _("A member cannot be hidden. Warn or suspend them instead."), code="not_content"
            )
        if target.hidden_at is None:
            target.hidden_at = timezone.now()
            target.save(update_fields=["hidden_at"])
        if isinstance(target, Post):
            title = target.title
            url = reverse("sharing:post", args=[report.neighbourhood.slug, target.pk])
            # The neighbourhood's lists may show it: they are built again.
            shared_cache.bump(report.neighbourhood_id)
            asked_counts_forget_for_post(target)
        else:
            title = Truncator(target.body).chars(60)
            url = ""
        action = _record(report=report, host=host, kind=ActionKind.HIDE, reason=reason)
        _close(report, ReportStatus.HANDLED)
        _tell(report=report, host=host, code="hide", reason=reason, title=title, url=url)
    return action


def member_warn(*, report: Report, host: Membership, reason: str) -> Action:
    """Warn the member the report is about; they read why."""
    reason = _reason_text(reason)
    with transaction.atomic():
        report = _locked_report(report)
        _check_host(host, report)
        action = _record(report=report, host=host, kind=ActionKind.WARN, reason=reason)
        _close(report, ReportStatus.HANDLED)
        _tell(report=report, host=host, code="warn", reason=reason)
    return action


def _locked_membership(report: Report) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .filter(neighbourhood_id=report.neighbourhood_id, user_id=report.about_id)
        .first()
    )
    if membership is None:
        raise ValidationError(
            _("This person is no longer a member of the neighbourhood."), code="not_member"
        )
    return membership


def member_suspend(*, report: Report, host: Membership, reason: str, period: str) -> Action:
    """Suspend the member from the neighbourhood for a week, a month or until a host lifts it.

    Saving the membership bumps the neighbourhood's cache version (neighbourhoods.cache), so the
    member's next page already sees the suspension.
    """
    reason = _reason_text(reason)
    if period not in SUSPENSIONS:
        raise ValidationError({"period": _("Please choose for how long.")}, code="invalid")
    with transaction.atomic():
        report = _locked_report(report)
        _check_host(host, report)
        membership = _locked_membership(report)
        if not permissions.may_suspend(host, membership):
            raise PermissionDenied(_("A host cannot suspend another host."))
        until = timezone.now() + SUSPENSIONS[period]
        membership.suspended_until = until
        membership.save(update_fields=["suspended_until"])
        action = _record(
            report=report, host=host, kind=ActionKind.SUSPEND, reason=reason, suspended_until=until
        )
        _close(report, ReportStatus.HANDLED)
        _tell(report=report, host=host, code="suspend", reason=reason)
    return action


def suspension_lift(*, report: Report, host: Membership, reason: str) -> Action:
    """End the member's suspension now; they are welcomed back."""
    reason = _reason_text(reason)
    with transaction.atomic():
        report = _locked_report(report)
        _check_host(host, report)
        membership = _locked_membership(report)
        if not membership.is_suspended:
            raise ValidationError(_("This member is not suspended."), code="not_suspended")
        membership.suspended_until = None
        membership.save(update_fields=["suspended_until"])
        action = _record(report=report, host=host, kind=ActionKind.LIFT, reason=reason)
        _close(report, ReportStatus.HANDLED)
        _tell(
            report=report,
            host=host,
            code="lift",
            reason=reason,
            url=reverse("front:member_home", args=[report.neighbourhood.slug]),
        )
    return action


def report_dismiss(*, report: Report, host: Membership, reason: str) -> Action:
    """Nothing to do: the report is closed, and nobody is told off."""
    reason = _reason_text(reason)
    with transaction.atomic():
        report = _locked_report(report)
        _check_host(host, report)
        if report.status != ReportStatus.OPEN:
            raise ValidationError(
                _("Another host already decided about this report."), code=ALREADY_HANDLED
            )
        action = _record(report=report, host=host, kind=ActionKind.DISMISS, reason=reason)
        _close(report, ReportStatus.DISMISSED)
    return action
