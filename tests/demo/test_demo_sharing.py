import json
import re
from collections import Counter
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from buurtnet.demo import ede_zuid
from buurtnet.demo import sharing as demo_sharing
from buurtnet.neighbourhoods.models import Neighbourhood
from buurtnet.notifications.messages import notification_text
from buurtnet.notifications.models import Notification
from buurtnet.people.models import User
from buurtnet.people.vocabulary import TALENTS
from buurtnet.sharing.models import (
    Answer,
    Audience,
    Invitation,
    Kind,
    Loan,
    LoanStatus,
    PartOfDay,
    Post,
    PostStatus,
    Thanks,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=StringIO())
    return Neighbourhood.objects.get(slug="ede-zuid")


def person(key: str) -> User:
    return User.objects.get(email=f"{key}@demo.buurtnet.nl")


def key_of(user: User) -> str:
    return user.email.partition("@")[0]


def test_most_residents_may_be_asked_but_not_all(demo):
    residents = User.objects.filter(
        memberships__neighbourhood=demo, memberships__role__in=["resident", "host"]
    )
    open_ = residents.filter(open_to_asks=True)
    assert 0.75 <= open_.count() / residents.count() <= 0.85
    for key in ("chidi", "hassan", "emina"):
        assert not person(key).open_to_asks
    assert not User.objects.filter(
        memberships__neighbourhood=demo, memberships__role="professional", open_to_asks=True
    ).exists()
    for user in open_:
        assert user.available_daytime or user.available_evenings or user.available_weekends
    assert person("piotr").available_evenings and not person("piotr").available_daytime


def test_asks_and_offers_are_written_in_at_least_four_languages(demo):
    posts = Post.objects.filter(neighbourhood=demo)
    languages = set(posts.values_list("language", flat=True))
    assert {"nl", "ar", "tr", "en"} <= languages
    assert len(languages) >= 6
    live = [p for p in posts if p.is_live]
    assert sum(p.is_ask for p in live) >= 12
    assert sum(not p.is_ask for p in live) >= 14
    assert {p.kind for p in live} == {"borrow", "give", "skill", "swap", "company"}
    assert {p.audience for p in live} == set(Audience.values)


def test_neighbours_offer_what_they_are_good_at(demo):
    offers = Post.objects.filter(neighbourhood=demo, side="offer", status="open")
    by = {(key_of(p.author), p.category.slug if p.category else None) for p in offers}
    for pair in [
        ("yonas", "bikes"),
        ("ravi", "admin"),
        ("rania", "homework"),
        ("piotr", "electrics"),
        ("semhar", "languages"),
    ]:
        assert pair in by
    for offer in offers:
        assert offer.author.open_to_asks


def test_open_ones_run_for_days_and_one_ask_ran_out(demo):
    now = timezone.now()
    open_ = Post.objects.filter(neighbourhood=demo, status=PostStatus.OPEN)
    expired = [p for p in open_ if p.is_expired]
    assert [(p.side, p.language) for p in expired] == [("ask", "en")]
    for post in open_:
        if post not in expired:
            assert now + timedelta(days=2) < post.expires_at < now + timedelta(days=14)
        assert post.created_at < now


def test_an_ask_for_mrs_jansen_from_the_coffee_morning(demo):
    post = Post.objects.get(neighbourhood=demo, on_behalf_of__startswith="Mevrouw Jansen (82)")
    assert post.author == person("henk")
    assert post.on_behalf_consent_at is not None
    assert "koffieochtend" in post.on_behalf_contact
    assert "Henk" in post.on_behalf_contact
    assert post.is_live


def test_a_sensitive_ask_goes_only_to_suggested_neighbours(demo):
    post = Post.objects.get(neighbourhood=demo, audience=Audience.SUGGESTED)
    assert post.language == "ar"
    asked = post.invitations.all()
    assert asked.count() >= 2
    for invitation in asked:
        assert invitation.user.open_to_asks
        assert invitation.sent_by == post.author


def test_a_flat_ask_and_a_flat_offer_name_their_flat(demo):
    for post in Post.objects.filter(neighbourhood=demo, audience=Audience.FLAT):
        assert post.building == post.author.memberships.get(neighbourhood=demo).building


def test_lent_items_have_loans_in_every_stage(demo):
    today = timezone.localdate()
    lend = Post.objects.filter(neighbourhood=demo, side="offer", kind="borrow")
    assert lend.count() >= 5
    loans = Loan.objects.filter(post__neighbourhood=demo)
    assert {loan.status for loan in loans} >= {
        LoanStatus.RETURNED,
        LoanStatus.HANDED_OVER,
        LoanStatus.ACCEPTED,
        LoanStatus.REQUESTED,
    }
    handed = loans.get(status=LoanStatus.HANDED_OVER)
    assert handed.ends_on == today and handed.handed_over_at
    for loan in loans.filter(status=LoanStatus.RETURNED):
        assert loan.returned_at and loan.handed_over_at and loan.ends_on < today
    for loan in loans.filter(status=LoanStatus.ACCEPTED):
        assert loan.decided_at and loan.starts_on > today
    for loan in loans.filter(status=LoanStatus.REQUESTED):
        assert loan.decided_at is None and loan.starts_on > today
        assert loan.borrower != loan.post.author


def test_helped_asks_were_answered_and_thanked_in_several_languages(demo):
    helped = Post.objects.filter(neighbourhood=demo, side="ask", status=PostStatus.HELPED)
    assert helped.count() >= 5
    for post in helped:
        assert post.closed_at and post.created_at < post.closed_at
        assert post.thanks.exists()
        assert post.invitations.filter(answer=Answer.YES).exists()
        assert post.invitations.filter(answer=Answer.NO).exists()
    thanks = Thanks.objects.filter(neighbourhood=demo)
    assert len(set(thanks.values_list("language", flat=True))) >= 4
    for row in thanks:
        assert row.note and row.giver != row.receiver
    for invitation in Invitation.objects.filter(neighbourhood=demo):
        assert (invitation.answer == Answer.WAITING) == (invitation.answered_at is None)


def test_no_contact_details_in_what_neighbours_wrote(demo):
    texts = [
        *Post.objects.filter(neighbourhood=demo).values_list("title", "body", "on_behalf_contact"),
        *Thanks.objects.filter(neighbourhood=demo).values_list("note"),
        *Loan.objects.filter(post__neighbourhood=demo).values_list("message"),
    ]
    for text in (t for row in texts for t in row):
        assert not re.search(r"\S+@\S+\.\w+", text)
        assert not re.search(r"\d[\d\s-]{7,}\d", text)


def test_sharing_notifications_read_well(demo):
    kinds = ["asked_for_help", "thanks_received", "loan_requested", "loan_decided"]
    found = Notification.objects.filter(kind__in=kinds)
    assert found.count() >= 4
    for notification in found:
        text = notification_text(notification)
        assert "…" not in text and "%(" not in text


def test_remove_takes_all_of_it_and_the_command_adds_it_back(demo):
    demo_sharing.remove(neighbourhood_slug=demo.slug)
    assert not Post.objects.filter(neighbourhood=demo).exists()
    assert not Loan.objects.exists()
    assert not Thanks.objects.exists()
    assert not Invitation.objects.filter(neighbourhood=demo).exists()
    assert demo_sharing.missing()

    out = StringIO()
    call_command("demo", stdout=out)
    assert "Added asks, offers" in out.getvalue()
    assert not demo_sharing.missing()
    assert Loan.objects.filter(post__neighbourhood=demo).count() == len(demo_sharing.LOANS)


def test_removing_the_demo_leaves_no_sharing_behind(demo):
    ede_zuid.demo_remove()
    assert not Post.objects.exists()
    assert not Thanks.objects.exists()
    assert not Invitation.objects.exists()
    assert not Loan.objects.exists()


# --- The labelled asks for measuring matching (tests/sharing/matching_set.json) ---------------

MATCHING_SET = Path(__file__).resolve().parent.parent / "sharing" / "matching_set.json"
FREE = {"daytime": "D", "evening": "E", "weekend": "W"}


def test_the_labelled_asks_fit_the_demo():
    data = json.loads(MATCHING_SET.read_text())
    asks = data["asks"]
    assert data["about"]["judgement_rules"]
    assert len(asks) >= 100
    languages = Counter(entry["language"] for entry in asks)
    assert len(languages) >= 4 and all(languages[code] >= 10 for code in ("nl", "ar", "en", "tr"))
    assert data["about"]["counts_per_language"] == dict(languages)
    residents = {n.key for n in ede_zuid.RESIDENTS}
    slugs = {slug for slug, _ in TALENTS}
    assert len({entry["id"] for entry in asks}) == len(asks)
    for entry in asks:
        assert entry["id"].startswith(entry["language"] + "-")
        assert entry["asker"] in residents
        assert entry["kind"] in Kind.values
        assert entry["category"] is None or entry["category"] in slugs
        assert entry["part_of_day"] in PartOfDay.values
        assert entry["title"].strip()
        assert entry["expected"], entry["id"]
        for key, why in entry["expected"].items():
            assert key != entry["asker"], entry["id"]
            assert key in demo_sharing.OPEN_TO_ASKS, (entry["id"], key)
            assert why.strip()
            if entry["part_of_day"]:
                assert FREE[entry["part_of_day"]] in demo_sharing.OPEN_TO_ASKS[key], entry["id"]
    with_category = sum(entry["category"] is not None for entry in asks)
    assert 0.5 <= with_category / len(asks) <= 0.7


def test_who_may_be_asked_are_residents_and_the_rest_are_named():
    residents = {n.key for n in ede_zuid.RESIDENTS}
    assert set(demo_sharing.OPEN_TO_ASKS) | set(demo_sharing.NOT_OPEN_TO_ASKS) == residents
    assert not set(demo_sharing.OPEN_TO_ASKS) & set(demo_sharing.NOT_OPEN_TO_ASKS)
