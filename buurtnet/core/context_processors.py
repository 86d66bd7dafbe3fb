from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    # LOCAL_LANGUAGE: the language a neighbourhood's own texts (its motto) are written in.
    return {"LANGUAGE_CHOICES": settings.LANGUAGES, "LOCAL_LANGUAGE": settings.LANGUAGE_CODE}
