"""Who is suggested for an ask, and who never is."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from buurtnet.people.models import Block, Language, Talent
from buurtnet.sharing import matching, words
from buurtnet.sharing.models import Answer, Invitation, Thanks
from tests.factories import (
    BuildingFactory,
    MembershipFactory,
    NeighbourhoodFactory,
    PostFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def neighbour(neighbourhood, name, *, talents=(), languages=(), open_to_asks=True, **fields):
    user = UserFactory(display_name=name, open_to_asks=open_to_asks, **fields)
    user.talents.set(Talent.objects.filter(slug__in=talents))
    user.languages.set(Language.objects.filter(code__in=languages))
    membership = MembershipFactory(user=user, neighbourhood=neighbourhood)
    return membership


@pytest.fixture
def place():
    neighbourhood = NeighbourhoodFactory()
    asker = neighbour(neighbourhood, "Asker", languages=("nl",))
    return neighbourhood, asker.user


def names(suggestions) -> list[str]:
    return [s.user.display_name for s in suggestions]


def ask(neighbourhood, asker, title, **fields):
    return PostFactory(neighbourhood=neighbourhood, author=asker, title=title, body="", **fields)


def test_an_ask_in_dutch_finds_a_talent_by_its_words(place):
    neighbourhood, asker = place
    neighbour(neighbourhood, "Ravi", talents=("admin",))
    neighbour(neighbourhood, "Piotr", talents=("electrics",))
    post = ask(neighbourhood, asker, "Wie helpt mij met een brief van de gemeente?")
    assert names(matching.suggest_for_post(post)) == ["Ravi"]


def test_the_category_chosen_counts_whatever_the_words(place):
    neighbourhood, asker = place
    neighbour(neighbourhood, "Yonas", talents=("bikes",))
    post = ask(neighbourhood, asker, "Zaterdag?", category=Talent.objects.get(slug="bikes"))
    assert names(matching.suggest_for_post(post)) == ["Yonas"]


def test_a_named_language_finds_its_speakers_and_says_so(place):
    neighbourhood, asker = place
    neighbour(neighbourhood, "Semhar", languages=("ti", "nl"))
    neighbour(neighbourhood, "Joke", languages=("nl",))
    post = ask(neighbourhood, asker, "Who can come along and speak Tigrinya with my neighbour?")
    suggestions = matching.suggest_for_post(post)
    assert names(suggestions) == ["Semhar"]
    with translation.override("en"):
        assert "speaks Tigrinya" in suggestions[0].explanation


def test_their_own_words_are_found_by_full_text_search(place):
    neighbourhood, asker = place
    neighbour(neighbourhood, "Linh", passions="Kimchi en loempia's maken met de buren.")
    neighbour(neighbourhood, "Johan", passions="Gitaar spelen.")
    post = ask(neighbourhood, asker, "Wie heeft er kimchi?")
    suggestions = matching.suggest_for_post(post)
    assert names(suggestions) == ["Linh"]
    with translation.override("en"):
        assert suggestions[0].explanation == "wrote about “kimchi”"


def test_a_live_offer_makes_its_author_a_suggestion(place):
    neighbourhood, asker = place
    lender = neighbour(neighbourhood, "Lender").user
    PostFactory(
        neighbourhood=neighbourhood,
        author=lender,
        side="offer",
        kind="borrow",
        title="Ik leen mijn ladder uit",
        body="",
    )
    post = ask(neighbourhood, asker, "Mag ik een ladder lenen?", kind="borrow")
    suggestions = matching.suggest_for_post(post)
    assert names(suggestions) == ["Lender"]
    with translation.override("en"):
        assert "offers “Ik leen mijn ladder uit”" in suggestions[0].explanation


def test_only_members_who_opted_in_and_never_the_asker(place):
    neighbourhood, asker = place
    asker.talents.set(Talent.objects.filter(slug="admin"))
    asker.open_to_asks = True
    asker.save()
    neighbour(neighbourhood, "Shy", talents=("admin",), open_to_asks=False)
    neighbour(neighbourhood, "Gone", talents=("admin",), is_active=False)
    post = ask(
        neighbourhood, asker, "Hulp met formulieren", category=Talent.objects.get(slug="admin")
    )
    assert matching.suggest_for_post(post) == []


def test_blocks_work_both_ways(place):
    neighbourhood, asker = place
    blocked = neighbour(neighbourhood, "Blocked", talents=("admin",)).user
    blocker = neighbour(neighbourhood, "Blocker", talents=("admin",)).user
    Block.objects.create(blocker=asker, blocked=blocked)
    Block.objects.create(blocker=blocker, blocked=asker)
    post = ask(neighbourhood, asker, "Formulieren", category=Talent.objects.get(slug="admin"))
    assert matching.suggest_for_post(post) == []


def test_suspended_members_and_other_neighbourhoods_are_never_suggested(place):
    neighbourhood, asker = place
    suspended = neighbour(neighbourhood, "Suspended", talents=("admin",))
    suspended.suspended_until = timezone.now() + timedelta(days=7)
    suspended.save()
    neighbour(NeighbourhoodFactory(), "Elsewhere", talents=("admin",))
    post = ask(neighbourhood, asker, "Formulieren", category=Talent.objects.get(slug="admin"))
    assert matching.suggest_for_post(post) == []


def test_nobody_is_asked_twice_for_the_same_thing(place):
    neighbourhood, asker = place
    ravi = neighbour(neighbourhood, "Ravi", talents=("admin",)).user
    neighbour(neighbourhood, "Willem", talents=("admin",))
    admin = Talent.objects.get(slug="admin")
    post = ask(neighbourhood, asker, "Formulieren", category=admin)
    Invitation.objects.create(neighbourhood=neighbourhood, post=post, user=ravi, sent_by=asker)
    assert names(matching.suggest_for_post(post)) == ["Willem"]


def test_a_no_to_the_same_asker_in_the_same_category_is_respected_for_a_while(place):
    neighbourhood, asker = place
    ravi = neighbour(neighbourhood, "Ravi", talents=("admin",)).user
    admin = Talent.objects.get(slug="admin")
    earlier = ask(neighbourhood, asker, "Belastingbrief", category=admin)
    Invitation.objects.create(
        neighbourhood=neighbourhood,
        post=earlier,
        user=ravi,
        sent_by=asker,
        answer=Answer.NO,
        answered_at=timezone.now() - timedelta(days=3),
    )
    post = ask(neighbourhood, asker, "Nog een brief", category=admin)
    assert matching.suggest_for_post(post) == []


def test_flat_language_time_and_past_help_tell_equal_fits_apart(place):
    neighbourhood, asker = place
    flat = BuildingFactory(neighbourhood=neighbourhood)
    asker.memberships.update(building=flat)
    neighbour(neighbourhood, "Far", talents=("cooking",), available_evenings=True)
    near = neighbour(neighbourhood, "Near", talents=("cooking",), languages=("ar",))
    near.building = flat
    near.save()
    near.user.available_evenings = True
    near.user.save()
    Thanks.objects.create(neighbourhood=neighbourhood, giver=asker, receiver=near.user)
    post = ask(
        neighbourhood,
        asker,
        "من يطبخ معي؟",
        category=Talent.objects.get(slug="cooking"),
        language="ar",
        building=flat,
        part_of_day="evening",
    )
    suggestions = matching.suggest_for_post(post)
    assert names(suggestions) == ["Near", "Far"]
    with translation.override("en"):
        assert suggestions[0].explanation == (
            "speaks Arabic · likes cooking · lives in your flat · free in the evenings"
            " · helped neighbours before"
        )


def test_the_explanation_is_in_the_readers_language(place):
    neighbourhood, asker = place
    neighbour(neighbourhood, "Hodan", talents=("languages",), languages=("so",))
    post = ask(neighbourhood, asker, "Who speaks Somali?")
    (suggestion,) = matching.suggest_for_post(post)
    stored = [r.as_json() for r in suggestion.reasons]
    with translation.override("nl"):
        assert matching.explain(stored).startswith("spreekt ")


def test_reading_folds_arabic_spelling_and_skips_words_that_say_nothing():
    reading = words.read("من يستطيع أن يساعدني في ترجمة الرسالة؟")
    assert "رساله" in reading.terms
    assert "من" not in reading.terms
    assert words.normalise("Türkçe") == "turkce"
    assert words.read("bisikletimin freni bozuldu").languages == frozenset()
