"""What the hosts' pages read: the queue, one report with what it is about, past actions."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.text import Truncator

from buurtnet.conversations.models import Message
from buurtnet.moderation.models import Action, Report, ReportStatus
from buurtnet.neighbourhoods.models import Membership, Neighbourhood
from buurtnet.people.models import Block, User
from buurtnet.sharing.models import Post

# What members can report, by the name in the address.
TARGET_MODELS: dict[str, type] = {"post": Post, "message": Message, "member": User}
EXCERPT_CHARS = 160


def what_of(model: type) -> str:
    return next(name for name, known in TARGET_MODELS.items() if known is model)


@dataclass
class Reported:
    """What a report is about, ready to show: its kind, the row, a short excerpt."""

    what: str
    obj: object | None
    excerpt: str
    language: str = ""

    @property
    def is_hidden(self) -> bool:
        return getattr(self.obj, "hidden_at", None) is not None


def describe(what: str, obj) -> Reported:
    if obj is None:  # deleted since it was reported
        return Reported(what=what, obj=None, excerpt="")
    if what == "post":
        return Reported(what=what, obj=obj, excerpt=obj.title, language=obj.language)
    if what == "message":
        text = Truncator(obj.body).chars(EXCERPT_CHARS)
        return Reported(what=what, obj=obj, excerpt=text)
    return Reported(what=what, obj=obj, excerpt=obj.display_name)


def _load(model: type, ids: Iterable[int]) -> dict[int, object]:
    queryset = model._default_manager.filter(pk__in=set(ids))
    if model is Message:
        queryset = queryset.select_related("conversation", "author")
    elif model is Post:
        queryset = queryset.select_related("author")
    return {obj.pk: obj for obj in queryset}


def attach_targets(reports: list[Report]) -> list[Report]:
    """Give each report `.reported` (a Reported), loading the targets one query per kind."""
    by_type: dict[int, list[int]] = defaultdict(list)
    for report in reports:
        by_type[report.target_type_id].append(report.target_id)
    loaded: dict[int, tuple[str, dict[int, object]]] = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model not in TARGET_MODELS.values():
            continue
        loaded[type_id] = (what_of(model), _load(model, ids))
    for report in reports:
        what, rows = loaded.get(report.target_type_id, ("member", {}))
        report.reported = describe(what, rows.get(report.target_id))
    return reports


def report_queue(*, neighbourhood: Neighbourhood) -> QuerySet[Report]:
    """The neighbourhood's reports: open ones first (oldest waiting first), then the rest."""
    return (
        Report.objects.filter(neighbourhood=neighbourhood)
        .select_related("reporter", "about")
        .annotate(
            waiting=Case(
                When(status=ReportStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-created_at", "-id")
    )


def open_report_count(*, neighbourhood_id: int) -> int:
    return Report.objects.filter(
        neighbourhood_id=neighbourhood_id, status=ReportStatus.OPEN
    ).count()


def report_for_host(*, neighbourhood: Neighbourhood, pk: int) -> Report | None:
    report = (
        Report.objects.select_related("reporter", "about", "neighbourhood")
        .filter(neighbourhood=neighbourhood, pk=pk)
        .first()
    )
    if report is not None:
        attach_targets([report])
    return report


def open_report_exists(*, reporter: User, target) -> bool:
    return Report.objects.filter(
        reporter=reporter,
        target_type=ContentType.objects.get_for_model(type(target)),
        target_id=target.pk,
        status=ReportStatus.OPEN,
    ).exists()


def reports_made_since(*, reporter: User, since) -> int:
    return Report.objects.filter(reporter=reporter, created_at__gte=since).count()


def actions_list(*, neighbourhood: Neighbourhood) -> QuerySet[Action]:
    return Action.objects.filter(neighbourhood=neighbourhood).select_related(
        "host", "member", "report"
    )


def actions_about(*, neighbourhood: Neighbourhood, member: User) -> QuerySet[Action]:
    """What hosts did earlier about one member, newest first (for the report's page)."""
    return actions_list(neighbourhood=neighbourhood).filter(member=member)


def membership_here(*, neighbourhood: Neighbourhood, user: User) -> Membership | None:
    return Membership.objects.filter(neighbourhood=neighbourhood, user=user).first()


def blocks_made(*, user: User) -> QuerySet[Block]:
    """The people this person blocked, by name."""
    return (
        Block.objects.filter(blocker=user)
        .select_related("blocked")
        .order_by("blocked__sort_name", "pk")
    )
