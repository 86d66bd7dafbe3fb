"""`buurtnet photos_clean`: store again, without metadata, every photo that still carries it."""

from django.apps import apps
from django.core.management.base import BaseCommand

from buurtnet.core.stored_photos import Counts, clean_stored_photos, photo_fields


class Command(BaseCommand):
    help = (
        "Re-encode every stored photo that still carries metadata (location, camera) or is"
        " larger than photos are stored now. Photos already clean are left alone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only count what would be cleaned"
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        verb = "would be cleaned" if dry_run else "cleaned"
        total = Counts()
        for model, photo_field in photo_fields(apps.get_models()):
            counts = clean_stored_photos(model, photo_field, dry_run=dry_run)
            total.add(counts)
            self.stdout.write(f"{model._meta.label}.{photo_field.name}: {_summary(counts, verb)}")
            for name in counts.unreadable_names:
                self.stderr.write(f"  cannot read {name}; left as it is")
        self.stdout.write(f"All photos: {_summary(total, verb)}.")


def _summary(counts: Counts, verb: str) -> str:
    return (
        f"{counts.cleaned} {verb}, {counts.clean} already clean, {counts.missing} missing,"
        f" {counts.unreadable} unreadable"
    )
