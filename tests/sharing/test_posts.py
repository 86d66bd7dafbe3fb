"""Asks and offers: posting them (also for a neighbour), who sees them, renewing and closing,
answering with a private conversation, and thanking who helped."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from buurtnet.conversations.models import Conversation, Message, Participant
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.notifications.models import Kind as NotificationKind
from buurtnet.notifications.models import Notification
from buurtnet.people.models import Talent
from buurtnet.people.services import block_add, block_remove
from buurtnet.sharing import permissions
from buurtnet.sharing.models import LIFETIME, Invitation, Post, PostStatus, Thanks
from buurtnet.sharing.selectors.posts import post_list
from buurtnet.sharing.services.posts import MAX_NEW_PER_HOUR, post_create, thanks_give
from tests.core.photos import assert_no_metadata, camera_jpeg

TYPED = "Kan iemand mijn fiets plakken? De band is lek sinds gisteren."


def form_data(**overrides) -> dict:
    data = {
        "title": "Can I borrow a ladder on Saturday?",
        "body": TYPED,
        "kind": "borrow",
        "category": "",
        "when": "Saturday morning",
        "part_of_day": "weekend",
        "building": "",
        "audience": "neighbourhood",
        "language": "",
        "photo_description": "",
    }
    data.update(overrides)
    return data


def listed(client, share_url, query: str = "") -> set[str]:
    response = client.get(share_url("list") + query)
    assert response.status_code == 200
    return {post.title for post in response.context["posts"]}


def talk_about(post, helper) -> Conversation:
    """A private conversation between the post's author and a neighbour about the post."""
    conversation = Conversation.objects.create(
        neighbourhood=post.neighbourhood,
        started_by=helper,
        subject=post.title,
        topic_type=ContentType.objects.get_for_model(Post),
        topic_id=post.pk,
    )
    Participant.objects.create(conversation=conversation, user=helper)
    Participant.objects.create(conversation=conversation, user=post.author)
    return conversation


# --- Posting ------------------------------------------------------------------------------------


def test_a_resident_asks_the_whole_neighbourhood(as_user, sharing, share_url):
    client = as_user(sharing.fatima)
    data = form_data(building=sharing.elskamp.pk)

    response = client.post(share_url("create", "ask"), data)

    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == share_url("post", post.pk)
    assert (post.side, post.kind, post.author, post.audience) == (
        "ask",
        "borrow",
        sharing.fatima,
        "neighbourhood",
    )
    assert post.building == sharing.elskamp
    assert post.language == "en"  # her preferred language, as she chose none
    assert post.status == PostStatus.OPEN
    assert abs(post.expires_at - (timezone.now() + LIFETIME)) < timedelta(minutes=1)
    page = client.get(share_url("post", post.pk)).content.decode()
    assert 'dir="auto" lang="en"' in page
    assert "Can I borrow a ladder on Saturday?" in page


def test_the_form_starts_with_the_authors_own_flat(as_user, sharing, share_url):
    response = as_user(sharing.yusuf).get(share_url("create", "offer"))

    assert response.status_code == 200
    assert response.context["form"]["building"].value() == sharing.vlinder.pk


@pytest.mark.parametrize("audience", ["neighbourhood", "flat", "suggested"])
def test_an_offer_can_go_to_each_audience(as_user, sharing, share_url, audience):
    talent = Talent.objects.get(slug="diy")
    data = form_data(
        title="I repair bikes",
        kind="skill",
        category=talent.pk,
        audience=audience,
        building=sharing.vlinder.pk,
    )

    response = as_user(sharing.yusuf).post(share_url("create", "offer"), data)

    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.side, post.audience, post.category, post.building) == (
        "offer",
        audience,
        talent,
        sharing.vlinder,
    )


def test_a_post_for_a_flat_needs_a_flat(as_user, sharing, share_url):
    response = as_user(sharing.anna).post(
        share_url("create", "ask"), form_data(audience="flat", building="")
    )

    assert response.status_code == 400
    assert "Choose the flat whose neighbours should see this." in response.content.decode()
    assert not Post.objects.exists()


def test_an_unknown_side_does_not_exist(as_user, sharing, share_url):
    assert as_user(sharing.fatima).get(share_url("create", "demand")).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "Say in a few words what you ask."),
        ("title", "x" * 121, "at most 120 characters"),
        ("body", "x" * 2001, "at most 2000 characters"),
    ],
)
def test_bad_input_is_refused_with_400_and_keeps_what_was_typed(
    as_user, sharing, share_url, field, value, message
):
    data = form_data(**{field: value, "when": "Zaterdagochtend"})

    response = as_user(sharing.fatima).post(share_url("create", "ask"), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Zaterdagochtend" in html
    assert not Post.objects.exists()


def test_asking_on_behalf_of_a_neighbour_with_their_consent(as_user, sharing, share_url):
    client = as_user(sharing.henk)
    data = form_data(
        title="Who helps me read a letter from the municipality?",
        kind="skill",
        on_behalf_of="Ans",
        on_behalf_consent="on",
        on_behalf_contact="At the coffee morning on Tuesday",
    )

    response = client.post(share_url("create", "ask"), data)

    assert response.status_code == 302
    post = Post.objects.get()
    assert post.author == sharing.henk
    assert post.on_behalf_of == "Ans"
    assert post.on_behalf_consent_at is not None
    own_page = client.get(share_url("post", post.pk)).content.decode()
    assert "At the coffee morning on Tuesday" in own_page
    assert "Please pass them on to <bdi>Ans</bdi>" in own_page
    others_page = as_user(sharing.daan).get(share_url("post", post.pk)).content.decode()
    assert "on behalf of <bdi>Ans</bdi>" in others_page
    assert "coffee morning" not in others_page


def test_asking_on_behalf_without_consent_is_refused_and_keeps_the_text(
    as_user, sharing, share_url
):
    data = form_data(on_behalf_of="Ans", on_behalf_contact="Via her daughter")

    response = as_user(sharing.fatima).post(share_url("create", "ask"), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Please tick that Ans agreed that you post this for them" in html
    assert TYPED in html and "Via her daughter" in html
    assert not Post.objects.exists()


def test_professionals_and_offers_have_no_on_behalf_fields(as_user, sharing, share_url):
    professional = as_user(sharing.anna).get(share_url("create", "ask"))
    offer = as_user(sharing.fatima).get(share_url("create", "offer"))
    ask = as_user(sharing.fatima).get(share_url("create", "ask"))

    assert "on_behalf_of" not in professional.context["form"].fields
    assert "on_behalf_of" not in offer.context["form"].fields
    assert "on_behalf_of" in ask.context["form"].fields


def test_a_sixth_post_within_the_hour_gets_429_and_keeps_the_form(
    as_user, sharing, share_url, membership_of
):
    membership = membership_of(sharing.daan)
    for n in range(MAX_NEW_PER_HOUR):
        post_create(membership=membership, side="offer", kind="give", title=f"Gift {n}")

    response = as_user(sharing.daan).post(share_url("create", "ask"), form_data())

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 3000
    html = response.content.decode()
    assert "You shared a lot in the last hour." in html
    assert TYPED in html
    assert Post.objects.count() == MAX_NEW_PER_HOUR


def test_the_limit_counts_only_the_last_hour(sharing, membership_of):
    membership = membership_of(sharing.daan)
    for n in range(MAX_NEW_PER_HOUR):
        post_create(membership=membership, side="offer", kind="give", title=f"Gift {n}")
    Post.objects.update(created_at=timezone.now() - timedelta(minutes=61))

    post_create(membership=membership, side="ask", kind="skill", title="One more")

    assert Post.objects.count() == MAX_NEW_PER_HOUR + 1


def test_a_photo_is_stored_without_location_and_served_only_to_who_sees_the_post(
    as_user, client, sharing, share_url
):
    data = form_data(audience="flat", building=sharing.elskamp.pk, photo=camera_jpeg())
    data["photo_description"] = "A blue ladder"

    response = as_user(sharing.fatima).post(share_url("create", "offer"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    with post.photo.open("rb") as stored:
        assert_no_metadata(stored.read())
    url = post.photo.url
    assert (
        'alt="A blue ladder"'
        in as_user(sharing.daan).get(share_url("post", post.pk)).content.decode()
    )
    assert as_user(sharing.daan).get(url).status_code == 200  # same flat
    assert as_user(sharing.henk).get(url).status_code == 200  # a host
    assert as_user(sharing.yusuf).get(url).status_code == 404  # another flat
    assert as_user(sharing.olga).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 404


def test_a_photo_that_is_no_photo_is_refused_with_400(as_user, sharing, share_url):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("ladder.jpg", b"not a photo", content_type="image/jpeg")

    response = as_user(sharing.fatima).post(share_url("create", "offer"), form_data(photo=fake))

    assert response.status_code == 400
    assert TYPED in response.content.decode()
    assert not Post.objects.exists()


# --- Who sees what ------------------------------------------------------------------------------


def test_a_post_for_the_whole_neighbourhood_is_for_every_member(
    as_user, sharing, share_url, make_post
):
    post = make_post(title="Who lends me a drill?")

    for member in (sharing.daan, sharing.yusuf, sharing.henk, sharing.anna, sharing.fatima):
        assert "Who lends me a drill?" in listed(as_user(member), share_url), member
    assert as_user(sharing.olga).get(share_url("list")).status_code == 404
    assert as_user(sharing.olga).get(share_url("post", post.pk)).status_code == 404


def test_a_post_for_one_flat_is_for_that_flat_and_the_hosts(as_user, sharing, share_url, make_post):
    post = make_post(title="Lift broken, who carries my shopping?", audience="flat")

    assert "Lift broken, who carries my shopping?" in listed(as_user(sharing.daan), share_url)
    assert "Lift broken, who carries my shopping?" in listed(as_user(sharing.henk), share_url)
    assert "Lift broken, who carries my shopping?" not in listed(as_user(sharing.yusuf), share_url)
    assert "Lift broken, who carries my shopping?" not in listed(as_user(sharing.bram), share_url)
    assert as_user(sharing.yusuf).get(share_url("post", post.pk)).status_code == 404
    assert as_user(sharing.daan).get(share_url("post", post.pk)).status_code == 200


def test_a_post_for_suggested_neighbours_is_only_for_those_it_was_sent_to(
    as_user, sharing, share_url, make_post
):
    post = make_post(title="Who reads Arabic with me?", audience="suggested")
    Invitation.objects.create(
        neighbourhood=sharing.ede, post=post, user=sharing.yusuf, sent_by=sharing.fatima
    )

    assert "Who reads Arabic with me?" in listed(as_user(sharing.yusuf), share_url)
    assert "Who reads Arabic with me?" in listed(as_user(sharing.fatima), share_url)
    assert "Who reads Arabic with me?" not in listed(as_user(sharing.daan), share_url)
    assert "Who reads Arabic with me?" not in listed(as_user(sharing.henk), share_url)
    assert as_user(sharing.daan).get(share_url("post", post.pk)).status_code == 404
    assert as_user(sharing.yusuf).get(share_url("post", post.pk)).status_code == 200


def test_members_who_blocked_each_other_never_see_each_others_posts(
    as_user, sharing, share_url, make_post
):
    hers = make_post(title="Fatima's ask")
    his = make_post(sharing.bram, title="Bram's offer", side="offer")

    assert "Fatima's ask" not in listed(as_user(sharing.bram), share_url)
    assert "Bram's offer" not in listed(as_user(sharing.fatima), share_url)
    assert as_user(sharing.bram).get(share_url("post", hers.pk)).status_code == 404
    assert as_user(sharing.fatima).get(share_url("post", his.pk)).status_code == 404
    assert {"Fatima's ask", "Bram's offer"} <= listed(as_user(sharing.daan), share_url)


def test_hidden_expired_and_closed_posts_leave_the_list_but_stay_in_the_authors_own(
    as_user, sharing, share_url, make_post
):
    now = timezone.now()
    make_post(title="Open")
    make_post(title="Hidden", hidden_at=now)
    make_post(title="Expired", expires_at=now - timedelta(days=1))
    make_post(title="Closed", status="helped", closed_at=now)

    assert listed(as_user(sharing.daan), share_url) == {"Open"}
    assert listed(as_user(sharing.fatima), share_url) == {"Open"}
    mine = as_user(sharing.fatima).get(share_url("mine"))
    assert {post.title for post in mine.context["posts"]} == {"Open", "Hidden", "Expired", "Closed"}
    html = mine.content.decode()
    assert "Hidden by a host" in html and "Expired" in html and "Helped" in html


def test_a_hidden_post_is_shown_only_to_its_author(as_user, sharing, share_url, make_post):
    post = make_post(title="Hidden one", hidden_at=timezone.now())

    assert as_user(sharing.daan).get(share_url("post", post.pk)).status_code == 404
    page = as_user(sharing.fatima).get(share_url("post", post.pk))
    assert page.status_code == 200
    assert "A host has hidden this after a report." in page.content.decode()


def test_the_list_filters_by_side_kind_category_and_flat(as_user, sharing, share_url, make_post):
    cooking = Talent.objects.get(slug="cooking")
    make_post(title="Ask for a ladder", kind="borrow")
    make_post(title="Soup for you", side="offer", kind="give", category=cooking)
    make_post(sharing.yusuf, title="Vlinder drill", side="offer", kind="borrow")
    client = as_user(sharing.daan)

    assert listed(client, share_url, "?side=offer") == {"Soup for you", "Vlinder drill"}
    assert listed(client, share_url, "?kind=borrow") == {"Ask for a ladder", "Vlinder drill"}
    assert listed(client, share_url, "?category=cooking") == {"Soup for you"}
    assert listed(client, share_url, f"?flat={sharing.vlinder.pk}") == {"Vlinder drill"}
    # An unknown value drops only that filter.
    assert listed(client, share_url, "?side=offer&kind=nonsense") == {
        "Soup for you",
        "Vlinder drill",
    }


def test_the_list_shows_exactly_what_can_view_allows(sharing, make_post, membership_of):
    """The SQL of the list and permissions.can_view agree, for every member and audience."""
    invited = make_post(sharing.daan, title="suggested", audience="suggested")
    Invitation.objects.create(
        neighbourhood=sharing.ede, post=invited, user=sharing.yusuf, sent_by=sharing.daan
    )
    for author in (sharing.fatima, sharing.yusuf, sharing.bram):
        for audience in ("neighbourhood", "flat", "suggested"):
            make_post(author, title=f"{author.display_name} {audience}", audience=audience)
    make_post(
        sharing.anna, title="professional's flat post", audience="flat", building=sharing.vlinder
    )
    posts = list(Post.objects.all())

    members = (
        sharing.fatima,
        sharing.priya,
        sharing.daan,
        sharing.henk,
        sharing.anna,
        sharing.yusuf,
        sharing.bram,
    )
    for user in members:
        membership = membership_of(user)
        expected = {p.pk for p in posts if permissions.can_view(membership, p)}
        assert {p.pk for p in post_list(membership=membership)} == expected, user


def test_the_list_costs_the_same_queries_for_5_or_40_posts(as_user, sharing, share_url, make_post):
    client = as_user(sharing.daan)
    talents = list(Talent.objects.all()[:3])

    def populate(count: int) -> None:
        authors = (sharing.fatima, sharing.yusuf, sharing.henk, sharing.priya)
        for n in range(count):
            author = authors[n % len(authors)]
            make_post(author, title=f"Post {n}", category=talents[n % 3], audience="neighbourhood")

    populate(5)
    client.get(share_url("list"))  # vocabularies read once per process
    cache.clear()  # both counted with nothing kept: the work a change brings back
    with CaptureQueriesContext(connection) as few:
        assert client.get(share_url("list")).status_code == 200
    populate(35)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(share_url("list"))
    assert response.content.decode().count('class="card post-card') == 20
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # Kept: once the membership is kept too (the request after), nothing is read any more.
    client.get(share_url("list"))
    with CaptureQueriesContext(connection) as warm:
        client.get(share_url("list"))
    assert len(warm) == 0, [q["sql"] for q in warm.captured_queries]


def _kept_list(client, share_url) -> str:
    """The list as a member sees it once it is kept (the second request keeps it all)."""
    client.get(share_url("list"))
    return client.get(share_url("list")).content.decode()


def test_the_kept_list_shows_a_new_ask_at_once(as_user, sharing, share_url, make_post):
    client = as_user(sharing.daan)
    make_post(sharing.fatima, title="Who has a ladder?")
    assert "Who has a ladder?" in _kept_list(client, share_url)
    make_post(sharing.yusuf, title="Soup for a sick neighbour")
    assert "Soup for a sick neighbour" in client.get(share_url("list")).content.decode()


def test_the_kept_list_drops_what_is_closed_or_hidden(as_user, sharing, share_url, make_post):
    client = as_user(sharing.daan)
    closed = make_post(sharing.fatima, title="A pram to give away")
    hidden = make_post(sharing.yusuf, title="Cheap watches")
    html = _kept_list(client, share_url)
    assert "A pram to give away" in html and "Cheap watches" in html
    closed.status = PostStatus.HELPED
    closed.closed_at = timezone.now()
    closed.save()
    hidden.hidden_at = timezone.now()
    hidden.save()
    html = client.get(share_url("list")).content.decode()
    assert "A pram to give away" not in html and "Cheap watches" not in html


def test_a_block_takes_the_blocked_members_asks_out_of_the_kept_list(
    as_user, sharing, share_url, make_post
):
    client = as_user(sharing.daan)
    make_post(sharing.fatima, title="Who has a ladder?")
    assert "Who has a ladder?" in _kept_list(client, share_url)
    block_add(blocker=sharing.fatima, blocked=sharing.daan)
    assert "Who has a ladder?" not in client.get(share_url("list")).content.decode()
    block_remove(blocker=sharing.fatima, blocked=sharing.daan)
    assert "Who has a ladder?" in client.get(share_url("list")).content.decode()


def test_an_ask_sent_to_a_neighbour_shows_in_their_kept_list(
    as_user, sharing, share_url, make_post
):
    client = as_user(sharing.daan)
    post = make_post(sharing.fatima, title="Help with a letter", audience="suggested")
    assert "Help with a letter" not in _kept_list(client, share_url)
    invitation = Invitation(
        neighbourhood=sharing.ede, post=post, user=sharing.daan, sent_by=sharing.fatima
    )
    Invitation.objects.bulk_create([invitation])
    shared_cache.bump(sharing.ede.pk)  # as invitations_send does after its bulk_create
    assert "Help with a letter" in client.get(share_url("list")).content.decode()


def test_the_list_is_kept_no_longer_than_until_its_first_ask_expires(
    as_user, sharing, share_url, make_post, monkeypatch
):
    client = as_user(sharing.daan)
    make_post(sharing.fatima, title="Soon gone", expires_at=timezone.now() + timedelta(hours=2))
    make_post(sharing.yusuf, title="Here a while", expires_at=timezone.now() + LIFETIME)
    kept: dict[str, int] = {}
    set_ = cache.set

    def spy(key, value, timeout=None, **kwargs):
        kept[key] = timeout
        return set_(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    client.get(share_url("list"))
    [timeout] = [t for key, t in kept.items() if ":share-list:" in key]
    assert 2 * 60 * 60 - 60 < timeout <= 2 * 60 * 60


def test_the_own_list_costs_the_same_queries_for_few_or_many(
    as_user, sharing, share_url, make_post
):
    client = as_user(sharing.fatima)
    make_post(title="First")
    client.get(share_url("mine"))
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(share_url("mine"))
    for n in range(25):
        make_post(title=f"More {n}", side="offer", kind="borrow")
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(share_url("mine"))
    assert len(many) == len(few)


@pytest.mark.parametrize("name", ["list", "mine", "create"])
def test_visitors_are_sent_to_log_in(as_user, sharing, share_url, name):
    args = ["ask"] if name == "create" else []

    response = as_user(None).get(share_url(name, *args))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/") or "login" in response["Location"]


def test_a_visitor_is_sent_to_log_in_from_a_post(as_user, share_url, make_post):
    post = make_post()

    response = as_user(None).get(share_url("post", post.pk))

    assert response.status_code == 302 and "login" in response["Location"]


def test_a_suspended_member_cannot_post(as_user, sharing, share_url, membership_of):
    membership = membership_of(sharing.daan)
    membership.suspended_until = timezone.now() + timedelta(days=7)
    membership.save()

    response = as_user(sharing.daan).post(share_url("create", "ask"), form_data())

    assert response.status_code == 403
    assert not Post.objects.exists()
    with pytest.raises(PermissionDenied):
        post_create(membership=membership, side="ask", kind="skill", title="Help")


@pytest.mark.parametrize("name", ["list", "mine", "create"])
def test_a_member_of_another_neighbourhood_gets_404(as_user, sharing, share_url, name):
    args = ["ask"] if name == "create" else []

    assert as_user(sharing.olga).get(share_url(name, *args)).status_code == 404


def test_the_neighbourhood_menu_leads_to_sharing(as_user, sharing, share_url):
    html = as_user(sharing.daan).get(share_url("list")).content.decode()

    assert f'<a href="{share_url("list")}" aria-current="page">Share</a>' in html
    assert "Ask something" in html and "Offer something" in html
    assert "Asking is nothing to be shy about" in html


# --- The author's page and actions ------------------------------------------------------------


def test_the_post_page_shows_the_author_by_name_and_flat_never_a_house_number(
    as_user, sharing, share_url, make_post
):
    post = make_post(title="Ladder please")

    html = as_user(sharing.daan).get(share_url("post", post.pk)).content.decode()

    member_url = f"/n/ede-zuid/members/{sharing.fatima.pk}/"
    assert f'<a href="{member_url}"><bdi>Fatima</bdi></a>' in html
    assert "de Elskamp" in html
    home = sharing.fatima.memberships.get().home
    assert f"de Elskamp {home.number}" not in html
    assert "Open until" in html
    assert "/report/post/" in html
    assert "I can help" in html


def test_the_author_sees_edit_renew_close_and_find_neighbours(
    as_user, sharing, share_url, make_post
):
    post = make_post()

    html = as_user(sharing.fatima).get(share_url("post", post.pk)).content.decode()

    assert share_url("edit", post.pk) in html
    assert share_url("renew", post.pk) in html
    assert share_url("close", post.pk) in html
    assert share_url("suggestions", post.pk) in html
    assert "I can help" not in html and "/report/post/" not in html


def test_a_lendable_offer_has_a_borrow_link(as_user, sharing, share_url, make_post):
    post = make_post(side="offer", kind="borrow", title="Drill")

    html = as_user(sharing.daan).get(share_url("post", post.pk)).content.decode()

    assert share_url("borrow", post.pk) in html
    assert "I&#x27;m interested" in html or "I'm interested" in html


def test_the_author_edits_their_post(as_user, sharing, share_url, make_post):
    post = make_post(title="Old title")
    client = as_user(sharing.fatima)

    response = client.post(share_url("edit", post.pk), form_data(title="New title"))

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "New title" and post.body == TYPED


def test_an_edit_with_bad_input_keeps_the_text(as_user, sharing, share_url, make_post):
    post = make_post(title="Old title")

    response = as_user(sharing.fatima).post(share_url("edit", post.pk), form_data(title=""))

    assert response.status_code == 400
    assert TYPED in response.content.decode()
    post.refresh_from_db()
    assert post.title == "Old title"


def test_only_the_author_may_edit_renew_or_close(as_user, sharing, share_url, make_post):
    post = make_post()
    client = as_user(sharing.daan)

    assert client.get(share_url("edit", post.pk)).status_code == 403
    assert client.post(share_url("renew", post.pk)).status_code == 403
    assert client.post(share_url("close", post.pk), {"status": "helped"}).status_code == 403
    assert as_user(sharing.henk).post(share_url("renew", post.pk)).status_code == 403
    post.refresh_from_db()
    assert post.status == "open"


def test_an_expired_post_is_renewed_with_one_tap(as_user, sharing, share_url, make_post):
    post = make_post(title="Still needed", expires_at=timezone.now() - timedelta(days=2))
    client = as_user(sharing.fatima)
    assert "Still needed" not in listed(as_user(sharing.daan), share_url)

    response = as_user(sharing.fatima).post(share_url("renew", post.pk))

    assert response.status_code == 302
    post.refresh_from_db()
    assert abs(post.expires_at - (timezone.now() + LIFETIME)) < timedelta(minutes=1)
    assert "Still needed" in listed(as_user(sharing.daan), share_url)
    assert client


def test_a_closed_post_cannot_be_renewed(as_user, sharing, share_url, make_post):
    post = make_post(status="helped", closed_at=timezone.now())

    response = as_user(sharing.fatima).post(share_url("renew", post.pk))

    assert response.status_code == 409
    assert "This is closed." in response.content.decode()


@pytest.mark.parametrize("status", ["helped", "not_needed"])
def test_the_author_closes_with_one_tap(as_user, sharing, share_url, make_post, status):
    post = make_post(title="Done")
    client = as_user(sharing.fatima)

    response = client.post(share_url("close", post.pk), {"status": status})

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == status and post.closed_at is not None
    assert "Done" not in listed(as_user(sharing.daan), share_url)
    # A second tap changes nothing and says so kindly.
    again = as_user(sharing.fatima).post(share_url("close", post.pk), {"status": status})
    assert again.status_code == 302


def test_closing_without_a_reason_is_400(as_user, sharing, share_url, make_post):
    post = make_post()

    response = as_user(sharing.fatima).post(share_url("close", post.pk), {"status": "gone"})

    assert response.status_code == 400
    post.refresh_from_db()
    assert post.status == "open"


# --- Answering ----------------------------------------------------------------------------------


def test_i_can_help_starts_a_private_conversation_with_the_author(
    as_user, sharing, share_url, make_post
):
    post = make_post(title="Who helps me with a letter?")
    client = as_user(sharing.daan)

    response = client.post(share_url("answer", post.pk), {"message": "I read Dutch well."})

    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.topic == post
    assert conversation.organisation is None
    assert {p.user for p in conversation.participants.all()} == {sharing.daan, sharing.fatima}
    assert Message.objects.get(conversation=conversation).body == "I read Dutch well."
    assert response["Location"] == f"/n/ede-zuid/conversations/{conversation.pk}/"
    assert Notification.objects.filter(
        recipient=sharing.fatima, kind=NotificationKind.MESSAGE_RECEIVED
    ).exists()
    # Answering again carries on in the same conversation.
    again = client.post(share_url("answer", post.pk), {"message": "Sunday works too."})
    assert again.status_code == 302
    assert Conversation.objects.count() == 1
    assert conversation.messages.count() == 2
    page = client.get(share_url("post", post.pk)).content.decode()
    assert "You already wrote to <bdi>Fatima</bdi> about this." in page


def test_an_answer_without_a_word_says_i_can_help(as_user, sharing, share_url, make_post):
    post = make_post(title="Ladder")

    as_user(sharing.yusuf).post(share_url("answer", post.pk), {})

    assert "I can help with “Ladder”" in Message.objects.get().body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(hours=1)}, "This ask has expired"),
        ({"status": "not_needed", "closed_at": timezone.now()}, "This ask is closed"),
    ],
)
def test_an_expired_or_closed_post_cannot_be_answered(
    as_user, sharing, share_url, make_post, fields, message
):
    post = make_post(**fields)

    response = as_user(sharing.daan).post(share_url("answer", post.pk), {"message": TYPED})

    assert response.status_code == 409
    html = response.content.decode()
    assert message in html
    assert not Conversation.objects.exists()


def test_nobody_answers_their_own_post(as_user, sharing, share_url, make_post):
    post = make_post()

    assert as_user(sharing.fatima).post(share_url("answer", post.pk)).status_code == 403
    assert not Conversation.objects.exists()


def test_hidden_and_blocked_posts_cannot_be_answered(as_user, sharing, share_url, make_post):
    hidden = make_post(hidden_at=timezone.now())
    hers = make_post()

    assert as_user(sharing.daan).post(share_url("answer", hidden.pk)).status_code == 404
    assert as_user(sharing.bram).post(share_url("answer", hers.pk)).status_code == 404
    assert not Conversation.objects.exists()


def test_a_post_is_a_conversation_topic_seen_only_by_who_sees_the_post(
    sharing, make_post, membership_of
):
    from buurtnet.conversations import topics

    post = make_post(title="Flat only", audience="flat")

    assert topics.is_registered(post)
    assert topics.resolve(topics.about(post), membership_of(sharing.daan)) == post
    assert topics.resolve(topics.about(post), membership_of(sharing.yusuf)) is None
    assert topics.describe(post).url == f"/n/ede-zuid/share/{post.pk}/"


def test_the_service_refuses_a_blocked_member(sharing, make_post, membership_of):
    from buurtnet.sharing.services.posts import post_answer

    post = make_post()

    with pytest.raises(PermissionDenied):
        post_answer(membership=membership_of(sharing.bram), post=post)


# --- Thanks ---------------------------------------------------------------------------------------


def test_the_asker_thanks_a_neighbour_who_answered(as_user, sharing, share_url, make_post):
    post = make_post(title="Help with a letter", category=Talent.objects.get(slug="languages"))
    talk_about(post, sharing.daan)
    client = as_user(sharing.fatima)
    page = client.get(share_url("post", post.pk)).content.decode()
    assert share_url("thank", post.pk) in page

    response = client.post(
        share_url("thank", post.pk), {"receiver": sharing.daan.pk, "note": "Dank je wel!"}
    )

    assert response.status_code == 302
    thanks = Thanks.objects.get()
    assert (thanks.giver, thanks.receiver, thanks.post, thanks.note) == (
        sharing.fatima,
        sharing.daan,
        post,
        "Dank je wel!",
    )
    assert thanks.category.slug == "languages"
    notification = Notification.objects.get(recipient=sharing.daan)
    assert notification.kind == NotificationKind.THANKS_RECEIVED
    assert notification.params == {"title": "Help with a letter"}
    # Once per person per post.
    again = client.post(share_url("thank", post.pk), {"receiver": sharing.daan.pk})
    assert again.status_code == 400
    assert Thanks.objects.count() == 1


def test_a_neighbour_who_said_yes_to_an_invitation_can_be_thanked(
    sharing, make_post, membership_of
):
    post = make_post(audience="suggested")
    Invitation.objects.create(
        neighbourhood=sharing.ede,
        post=post,
        user=sharing.yusuf,
        sent_by=sharing.fatima,
        answer="yes",
        answered_at=timezone.now(),
    )

    thanks = thanks_give(
        membership=membership_of(sharing.fatima), post=post, receiver=sharing.yusuf
    )

    assert thanks.receiver == sharing.yusuf


def test_only_those_who_answered_can_be_thanked(
    as_user, sharing, share_url, make_post, membership_of
):
    post = make_post()
    talk_about(post, sharing.daan)

    response = as_user(sharing.fatima).post(
        share_url("thank", post.pk), {"receiver": sharing.priya.pk}
    )

    assert response.status_code == 400
    with pytest.raises(ValidationError):
        thanks_give(membership=membership_of(sharing.fatima), post=post, receiver=sharing.priya)
    assert not Thanks.objects.exists()


def test_only_the_asker_thanks(as_user, sharing, share_url, make_post, membership_of):
    post = make_post()
    talk_about(post, sharing.daan)

    assert as_user(sharing.daan).get(share_url("thank", post.pk)).status_code == 403
    with pytest.raises(PermissionDenied):
        thanks_give(membership=membership_of(sharing.priya), post=post, receiver=sharing.daan)
    offer = make_post(side="offer", kind="give")
    talk_about(offer, sharing.daan)
    assert as_user(sharing.fatima).get(share_url("thank", offer.pk)).status_code == 403


def _render_thanks(person, viewer_membership) -> str:
    template = Template("{% load sharing_tags %}{% member_thanks person viewer %}")
    return template.render(Context({"person": person, "viewer": viewer_membership}))


def test_member_thanks_shows_who_thanked_for_what(sharing, make_post, membership_of):
    post = make_post(title="Letter")
    talk_about(post, sharing.daan)
    thanks_give(
        membership=membership_of(sharing.fatima), post=post, receiver=sharing.daan, note="Top!"
    )

    html = _render_thanks(sharing.daan, membership_of(sharing.yusuf))

    assert "<bdi>Fatima</bdi> thanked <bdi>Daan</bdi> for “<bdi>Letter</bdi>”" in html
    assert "Top!" in html


def test_member_thanks_respects_show_thanks(sharing, make_post, membership_of):
    post = make_post(title="Letter", audience="flat")
    talk_about(post, sharing.daan)
    thanks_give(membership=membership_of(sharing.fatima), post=post, receiver=sharing.daan)
    sharing.daan.show_thanks = False
    sharing.daan.save()

    assert "thanked" not in _render_thanks(sharing.daan, membership_of(sharing.yusuf))
    own = _render_thanks(sharing.daan, membership_of(sharing.daan))
    assert "thanked" in own
    # The title of a post for one flat is not told on a member page.
    assert "Letter" not in own


def test_neighbours_may_translate_what_they_may_read(as_user, sharing, make_post):
    from django.urls import reverse

    post = make_post(title="Flat only", body="Wie helpt?", language="nl", audience="flat")
    url = reverse("translations:translate", args=["ede-zuid", "post", post.pk, "body"])

    assert as_user(sharing.daan).get(url).status_code == 200
    assert as_user(sharing.yusuf).get(url).status_code == 404
