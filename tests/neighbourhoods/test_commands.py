import csv
import io

import pytest
from django.core.management import CommandError, call_command

from buurtnet.neighbourhoods.models import Home, InviteCode, Membership, Neighbourhood
from tests.factories import NeighbourhoodFactory, UserFactory


def run(command, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def zuid(db):
    UserFactory(email="henk@example.org")
    run(
        "neighbourhood_create",
        "--slug=zuid",
        "--name=Ede-Zuid",
        "--municipality=Ede",
        "--description=Eight flats",
        "--building=de Elskamp:3",
        "--building=Flat: de Bosrand:2",
        "--host-email=HENK@example.org",
    )
    return Neighbourhood.objects.get(slug="zuid")


def test_it_creates_a_neighbourhood_with_flats_homes_and_a_host(zuid):
    assert (zuid.name, zuid.municipality, zuid.description) == ("Ede-Zuid", "Ede", "Eight flats")
    homes = Home.objects.filter(building__neighbourhood=zuid).order_by("building__name", "number")
    assert [(h.building.name, h.number) for h in homes] == [
        ("Flat: de Bosrand", "1"),
        ("Flat: de Bosrand", "2"),
        ("de Elskamp", "1"),
        ("de Elskamp", "2"),
        ("de Elskamp", "3"),
    ]
    host = Membership.objects.get(neighbourhood=zuid)
    assert (host.user.email, host.role) == ("henk@example.org", "host")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug=zuid"], "already exists"),
        (["--slug=not a slug"], "letters, digits"),
        (["--slug=new", "--building=no-homes"], "Name:homes"),
        (["--slug=new", "--building=Flat:many"], "whole number"),
        (["--slug=new", "--building=Flat:0"], "between 1 and"),
        (["--slug=new", "--building=A:1", "--building=A:2"], "name of its own"),
        (["--slug=new", "--host-email=nobody@example.org"], "No account with email"),
    ],
)
def test_it_explains_bad_input(zuid, args, message):
    with pytest.raises(CommandError, match=message):
        run("neighbourhood_create", "--name=X", "--municipality=Ede", *args)
    assert not Neighbourhood.objects.filter(slug="new").exists()


def test_invites_issues_codes_and_writes_csv(zuid):
    out, err = run("invites", "--neighbourhood=zuid", "--max-uses=3")
    rows = list(csv.reader(io.StringIO(out)))
    assert len(rows) == 6
    assert {row[2] for row in rows[1:]} == set(InviteCode.objects.values_list("code", flat=True))
    assert {row[3] for row in rows[1:]} == {"3"}
    assert "Issued 5 new code(s)" in err
    again, err = run("invites", "--neighbourhood=zuid")
    assert len(list(csv.reader(io.StringIO(again)))) == 1
    assert "Issued 0 new code(s)" in err
    reprint, _err = run("invites", "--neighbourhood=zuid", "--reprint")
    assert len(list(csv.reader(io.StringIO(reprint)))) == 6
    assert InviteCode.objects.count() == 5


def test_invites_writes_the_printable_sheet_for_one_flat(zuid, tmp_path):
    target = tmp_path / "slips.html"
    run(
        "invites",
        "--neighbourhood=zuid",
        "--building=de Elskamp",
        "--format=html",
        f"--output={target}",
        "--language=en",
    )
    sheet = target.read_text()
    assert sheet.startswith("<!doctype html>")
    assert sheet.count('class="slip"') == 3
    # Printed away from the site, the sheet carries the slips' own style.
    assert ".slip { border: 2px dashed" in sheet and "&quot;" not in sheet.split("</style>")[0]
    assert "de Elskamp, number 3" in sheet
    for code in InviteCode.objects.values_list("code", flat=True):
        assert f"/join/?code={code}" in sheet
    assert not InviteCode.objects.filter(home__building__name="Flat: de Bosrand").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--neighbourhood=nowhere"], "No neighbourhood"),
        (["--neighbourhood=empty"], "has no flats yet"),
        (["--neighbourhood=zuid", "--building=Nope"], "no flat called 'Nope'"),
        (["--neighbourhood=zuid", "--max-uses=0"], "between 1 and"),
        (["--neighbourhood=zuid", "--output=/nonexistent/dir/x.csv"], "Cannot write"),
    ],
)
def test_invites_explains_bad_input(zuid, args, message):
    NeighbourhoodFactory(slug="empty", name="Empty")
    with pytest.raises(CommandError, match=message):
        run("invites", *args)
    assert not InviteCode.objects.exists()
