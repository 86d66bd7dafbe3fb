"""Every upload kind is cleaned and has a rule for who sees it: say so at start-up if not."""

from django.apps import apps
from django.core import checks
from django.db import models

from buurtnet.core.images import CleanImageField
from buurtnet.media.rules import KINDS


@checks.register()
def every_upload_has_a_rule(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    known = {(kind.model, kind.field_name) for kind in KINDS}
    folders = [kind.folder for kind in KINDS]
    errors = []
    for model in apps.get_models():
        if not model.__module__.startswith("buurtnet."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.ImageField) and not isinstance(field, CleanImageField):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} stores photos as uploaded, with their"
                        " location and camera.",
                        hint="Use buurtnet.core.images.CleanImageField.",
                        obj=field,
                        id="media.E003",
                    )
                )
            if isinstance(field, models.FileField) and (model, field.name) not in known:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} has no rule in buurtnet.media.rules,"
                        " so its files are never served.",
                        hint="Add a Kind with the same rule as the page that shows the file.",
                        obj=field,
                        id="media.E001",
                    )
                )
    duplicated = {folder for folder in folders if folder is None or folders.count(folder) > 1}
    for kind in KINDS:
        if kind.folder in duplicated:
            errors.append(
                checks.Error(
                    f"{kind.model._meta.label}.{kind.field_name} needs an upload folder of its"
                    " own (RandomUploadPath), so a file's name tells which rule applies.",
                    obj=kind.field,
                    id="media.E002",
                )
            )
    return errors
