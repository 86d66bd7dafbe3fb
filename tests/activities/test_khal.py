"""The neighbourhood feed in a real calendar program: khal shows the right local times."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from buurtnet.activities.models import OccurrenceChange
from tests.activities.conftest import local

pytestmark = pytest.mark.skipif(shutil.which("khal") is None, reason="khal is not installed")

CONFIG = """\
[calendars]
[[buurt]]
path = {calendar}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Amsterdam
default_timezone = Europe/Amsterdam
firstweekday = 0

[default]
default_calendar = buurt

[sqlite]
path = {database}
"""


def khal(config, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from the test
        [shutil.which("khal"), "-c", str(config), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


@pytest.fixture
def khal_config(tmp_path):
    calendar = tmp_path / "calendar"
    calendar.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(CONFIG.format(calendar=calendar, database=tmp_path / "khal.db"))
    return config


def test_khal_shows_the_dinner_at_six_before_and_after_the_dst_change(
    client, khal_config, tmp_path, dinner
):
    OccurrenceChange.objects.create(
        activity=dinner, original_start=local(2027, 2, 26, 18), cancelled=True
    )
    OccurrenceChange.objects.create(
        activity=dinner,
        original_start=local(2027, 5, 28, 18),
        new_start=local(2027, 5, 27, 17),
        new_end=local(2027, 5, 27, 19),
    )
    feed = tmp_path / "agenda.ics"
    feed.write_bytes(
        client.get(reverse("activities:feed_neighbourhood", args=["ede-zuid"])).content
    )

    khal(khal_config, "import", "--batch", "-a", "buurt", str(feed))
    listed = khal(
        khal_config,
        "list",
        "--day-format",
        "",
        "-f",
        "{start} | {end} | {title}",
        "2027-02-01",
        "2027-06-30",
    )

    # 26 February is cancelled, so February shows nothing.
    lines = [line.strip() for line in listed.splitlines() if line.strip()]
    assert lines == [
        "2027-03-26 18:00 | 2027-03-26 20:30 | Samen eten",  # winter time, before 28 March
        "2027-04-30 18:00 | 2027-04-30 20:30 | Samen eten",  # summer time
        "2027-05-27 17:00 | 2027-05-27 19:00 | Samen eten",  # moved to Thursday
        "2027-06-25 18:00 | 2027-06-25 20:30 | Samen eten",
    ]
