from django import forms
from django.utils.translation import gettext_lazy as _

from buurtnet.initiatives.forms import CHOICE_LIST, VocabularyChoiceField, written_in_field
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods.models import Building, Membership
from buurtnet.people.models import Talent, User
from buurtnet.sharing.models import Kind, PartOfDay, Post, PostStatus, Side

PHOTO_ACCEPT = "image/jpeg,image/png,image/gif,image/webp"


class PostForm(forms.ModelForm):
    """An ask or an offer. The fields for asking on a neighbour's behalf come only with an ask
    by a resident or host (see `behalf_fields`)."""

    category = VocabularyChoiceField(
        label=_("Category"),
        queryset=Talent.objects.all(),
        required=False,
        empty_label=_("Something else"),
    )
    language = written_in_field()
    on_behalf_consent = forms.BooleanField(required=False)

    BEHALF_FIELDS = ("on_behalf_of", "on_behalf_consent", "on_behalf_contact")

    class Meta:
        model = Post
        fields = [
            "title",
            "body",
            "kind",
            "category",
            "when",
            "part_of_day",
            "building",
            "audience",
            "language",
            "photo",
            "photo_description",
            "on_behalf_of",
            "on_behalf_contact",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 4}),
            "kind": CHOICE_LIST,
            "audience": CHOICE_LIST,
            "photo": forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
        }
        help_texts = {
            "photo": _("Optional. JPEG, PNG, GIF or WebP, at most 5 MB."),
            "photo_description": _("For neighbours who cannot see the photo."),
        }

    def __init__(self, *args, side: str, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.side = side
        is_ask = side == Side.ASK
        fields = self.fields
        fields["title"].label = _("What do you ask?") if is_ask else _("What do you offer?")
        fields["title"].help_text = (
            _("For example “Can I borrow a ladder on Saturday?”")
            if is_ask
            else _("For example “I lend my drill” or “I repair bikes”.")
        )
        fields["title"].error_messages["required"] = (
            _("Say in a few words what you ask.")
            if is_ask
            else _("Say in a few words what you offer.")
        )
        fields["body"].label = _("More about it (optional)")
        fields["kind"].choices = Kind.choices
        fields["kind"].label = _("What kind of sharing?")
        fields["part_of_day"].choices = PartOfDay.choices
        building = fields["building"]
        building.queryset = Building.objects.filter(neighbourhood_id=membership.neighbourhood_id)
        building.empty_label = _("No particular flat")
        building.help_text = _("Neighbours see the flat's name, never a house number.")
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("building", membership.building_id)
        if not (is_ask and membership.is_resident):
            for name in self.BEHALF_FIELDS:
                del fields[name]
        else:
            fields["on_behalf_of"].label = _("Their first name")
            fields["on_behalf_of"].help_text = _(
                "Only when you ask for a neighbour who is not online, for example at the coffee "
                "morning. Answers come to you."
            )
            fields["on_behalf_consent"].label = _(
                "They agreed that I post this for them and pass on the answers."
            )
            fields["on_behalf_contact"].label = _("How you reach them")
            fields["on_behalf_contact"].help_text = _("Only you see this.")
            if self.instance.on_behalf_consent_at is not None and not self.is_bound:
                self.initial["on_behalf_consent"] = True

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.BEHALF_FIELDS]

    def behalf_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.BEHALF_FIELDS if name in self.fields]

    def service_arguments(self) -> dict:
        """The cleaned values as post_create / post_update take them."""
        data = self.cleaned_data
        photo = data.get("photo")
        arguments = {
            "kind": data["kind"],
            "title": data["title"],
            "body": data["body"],
            "category": data["category"],
            "when": data["when"],
            "part_of_day": data["part_of_day"],
            "language": data["language"],
            "building": data["building"],
            "audience": data["audience"],
            "photo": photo or None,
            "photo_description": data["photo_description"],
            "on_behalf_of": data.get("on_behalf_of", ""),
            "on_behalf_consent": data.get("on_behalf_consent", False),
            "on_behalf_contact": data.get("on_behalf_contact", ""),
        }
        if photo is False:
            arguments["remove_photo"] = True
        return arguments


class AnswerForm(forms.Form):
    """ "I can help" / "I'm interested": one tap, with a word for the author if you like."""

    message = forms.CharField(
        label=_("A word for them (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(PostStatus.HELPED, _("Helped")), (PostStatus.NOT_NEEDED, _("No longer needed"))]
    )


class ThanksForm(forms.Form):
    receiver = forms.TypedChoiceField(label=_("Whom do you thank?"), coerce=int, widget=CHOICE_LIST)
    note = forms.CharField(
        label=_("A few words of thanks (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = written_in_field()

    def __init__(self, *args, people: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["receiver"].choices = [(person.pk, person.display_name) for person in people]
        if len(people) == 1 and not self.is_bound:
            self.initial["receiver"] = people[0].pk

    def clean_receiver(self) -> User:
        return self.people[self.cleaned_data["receiver"]]


def _category_choices() -> list[tuple[str, str]]:
    """Every talent in the reader's language, sorted there (shared by every list)."""

    def build() -> list[tuple[str, str]]:
        talents = sorted(Talent.objects.all(), key=lambda t: t.label.casefold())
        return [(t.slug, t.label) for t in talents]

    return shared_cache.shared(shared_cache.GLOBAL, "talent-choices", build=build)


class FilterForm(forms.Form):
    """The list's filters. Unknown values are ignored rather than refused."""

    side = forms.ChoiceField(
        label=_("Asks or offers"),
        required=False,
        choices=[("", _("Both")), (Side.ASK, _("Asks")), (Side.OFFER, _("Offers"))],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Kind.choices]
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    flat = forms.TypedChoiceField(label=_("Flat"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, buildings: list[Building], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any category")), *_category_choices()]
        self.fields["flat"].choices = [
            ("", _("Any flat")),
            *((building.pk, building.name) for building in buildings),
        ]

    def filters(self) -> dict:
        """The valid filters as selector arguments; a bad value drops only that filter."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "side": data.get("side") or "",
            "kind": data.get("kind") or "",
            "category": data.get("category") or "",
            "building_id": data.get("flat"),
        }
