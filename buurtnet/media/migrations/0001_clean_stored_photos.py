"""Photos stored before uploads were cleaned lose their metadata on upgrade.

Not atomic: each photo's row is moved to its cleaned file in a transaction of its own, so a
failure halfway never leaves a row pointing at a deleted file. Cheap on an empty database: one
query per photo field.
"""

from django.db import migrations

from buurtnet.core.stored_photos import clean_stored_photos, photo_fields


def clean_photos(apps, schema_editor):
    for model, photo_field in photo_fields(apps.get_models()):
        clean_stored_photos(model, photo_field)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("people", "0002_clean_indexed_photos"),
        ("initiatives", "0004_clean_indexed_photos"),
        ("activities", "0008_clean_indexed_photos"),
    ]

    operations = [migrations.RunPython(clean_photos, migrations.RunPython.noop)]
