"""Test settings: fast hashing, mail in memory, tasks run at once, strict templates."""

import os
import tempfile

os.environ.setdefault(
    "BUURTNET_DATA_DIR", os.path.join(tempfile.gettempdir(), "buurtnet-test-data")
)

from config.settings import *  # noqa: E402,F403
from config.settings import TEMPLATES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S105 - tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEBUG = False


class InvalidVariable(str):
    """Makes a template that uses an undefined variable fail the test."""

    def __bool__(self) -> bool:
        return False

    def __mod__(self, other: object) -> str:
        raise NameError(f"undefined template variable: {other}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidVariable("%s")
AXES_ENABLED = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
