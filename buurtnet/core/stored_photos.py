"""Photos stored before uploads were cleaned: find them and store them again, cleaned.

Used by `buurtnet photos_clean` and by a data migration, so an upgrade strips the photos
already stored. A photo already clean is left as it is, so running it again changes nothing.
A cleaned photo gets a new random name (the old name may carry the wrong extension); the old
file is deleted once the row points at the new one.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction

from buurtnet.core.images import CleanImageField, clean_image, is_clean, with_extension


@dataclass
class Counts:
    cleaned: int = 0
    clean: int = 0
    missing: int = 0
    unreadable_names: list[str] = field(default_factory=list)

    @property
    def unreadable(self) -> int:
        return len(self.unreadable_names)

    def add(self, other: "Counts") -> None:
        self.cleaned += other.cleaned
        self.clean += other.clean
        self.missing += other.missing
        self.unreadable_names += other.unreadable_names


def photo_fields(
    all_models: Iterable[type[models.Model]],
) -> list[tuple[type[models.Model], CleanImageField]]:
    """Every photo field of these models (from the app registry or a migration's state)."""
    return [
        (model, model_field)
        for model in all_models
        for model_field in model._meta.get_fields()
        if isinstance(model_field, CleanImageField)
    ]


def clean_stored_photos(
    model: type[models.Model], photo_field: CleanImageField, *, dry_run: bool = False
) -> Counts:
    """Store every photo of this field that still carries metadata (or is too large) anew."""
    counts = Counts()
    storage = photo_field.storage
    column = photo_field.attname
    rows = (
        model._default_manager.exclude(**{column: ""})
        .exclude(**{f"{column}__isnull": True})
        .order_by("pk")
        .values_list("pk", column)
    )
    for pk, name in rows.iterator(chunk_size=200):
        try:
            with storage.open(name, "rb") as stored:
                content = stored.read()
        except FileNotFoundError:
            counts.missing += 1
            continue
        if is_clean(content, name):
            counts.clean += 1
            continue
        try:
            cleaned = clean_image(io.BytesIO(content))
        except ValidationError:
            counts.unreadable_names.append(name)
            continue
        if dry_run:
            counts.cleaned += 1
            continue
        new_name = storage.save(
            photo_field.generate_filename(None, with_extension(name, cleaned.extension)),
            ContentFile(cleaned.content),
        )
        with transaction.atomic():
            # Only if the row still holds the old file: a photo changed meanwhile stays.
            moved = (
                model._default_manager.filter(pk=pk, **{column: name}).update(**{column: new_name})
                == 1
            )
        if moved:
            counts.cleaned += 1
            transaction.on_commit(lambda old=name: storage.delete(old))
        else:
            storage.delete(new_name)
    return counts
