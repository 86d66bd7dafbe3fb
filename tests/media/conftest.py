"""The media tests reuse the activities' place (room) and monthly dinner (dinner)."""

from tests.activities.conftest import dinner, room  # noqa: F401 - fixtures used here too
