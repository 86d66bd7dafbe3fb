import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from buurtnet.people.services import PRIVACY_FIELDS


def image_upload(name: str = "me.png", image_format: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), "seagreen").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def profile_data(user, **changes) -> dict:
    """What the profile form sends back unchanged for this person, with some changes."""
    data = {
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "talents_other": user.talents_other,
        "passions": user.passions,
        "languages": [language.pk for language in user.languages.all()],
        "talents": [talent.pk for talent in user.talents.all()],
    }
    for name in PRIVACY_FIELDS:
        if getattr(user, name):
            data[name] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def is_checked(html: str, name: str, value) -> bool:
    """Whether the page renders the checkbox name=value as ticked."""
    return re.search(rf'name="{name}" value="{value}" id="[^"]*" checked', html) is not None
