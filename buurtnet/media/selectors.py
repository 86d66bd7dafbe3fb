"""Which row an uploaded file belongs to, found by the file's stored name."""

from dataclasses import dataclass

from django.db.models import Model

from buurtnet.media.rules import KINDS, Kind


@dataclass(frozen=True)
class Owner:
    kind: Kind
    obj: Model


def file_owner(name: str) -> Owner | None:
    """The row whose file is stored under `name`; None for a name no row holds.

    The folder (the name's first part) tells the kind, so one indexed lookup finds the row.
    """
    # Stored names are random hex with an extension: a control character (which PostgreSQL
    # refuses in a query) or anything too long cannot be one.
    if len(name) > 255 or any(ord(char) < 32 or ord(char) == 127 for char in name):
        return None
    folder = name.partition("/")[0]
    for kind in KINDS:
        if kind.folder != folder:
            continue
        rows = kind.model._default_manager.select_related(*kind.related)
        found = rows.filter(**{kind.field_name: name}).first()
        if found is not None:
            return Owner(kind=kind, obj=found)
    return None
