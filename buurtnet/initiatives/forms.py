import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from buurtnet.initiatives.models import (
    Initiative,
    Learning,
    Need,
    NeedKind,
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Status,
    SupportKind,
    SupportOffer,
    Theme,
    Update,
)
from buurtnet.initiatives.services import PHOTO_MAX_BYTES, next_statuses, validate_photo
from buurtnet.neighbourhoods import cache as shared_cache
from buurtnet.neighbourhoods import names
from buurtnet.neighbourhoods.models import Organisation, Role
from buurtnet.people.models import Talent, User
from buurtnet.people.selectors import written_in_choices


def _written_in_choices() -> list[tuple[str, str]]:
    return shared_cache.shared(shared_cache.GLOBAL, "written-in", build=written_in_choices)


def written_in_field() -> forms.ChoiceField:
    """Which language the writer uses; empty means their preferred language (set by the
    service, so an empty form holds nothing of its reader and may be cached for everyone)."""
    return forms.ChoiceField(
        label=_("Written in"),
        choices=_written_in_choices,
        required=False,
        help_text=_("So that neighbours can translate it, and readers' devices read it right."),
    )


class SortedByLabel(ModelChoiceIterator):
    """Curated vocabularies (themes, talents) listed in the order of their translated names."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: str(choice[1]).casefold())


class VocabularyChoiceField(forms.ModelChoiceField):
    iterator = SortedByLabel


class CheckboxChoiceField(forms.ModelMultipleChoiceField):
    """Several of a curated vocabulary, ticked in a list sorted by the translated names."""

    iterator = SortedByLabel
    widget = forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"})

    def _check_values(self, value):
        # A number too large for the database column must fail as a wrong choice, not a crash.
        for pk in value:
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class ThemeChoiceField(CheckboxChoiceField):
    pass


class TalentChoiceField(CheckboxChoiceField):
    pass


CHOICE_LIST = forms.RadioSelect(attrs={"class": "checkbox-list"})


class IdPrefixed:
    """Forms that share a page get their own element ids (the field names stay the same)."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class SearchInput(forms.TextInput):
    input_type = "search"


class PersonChoiceField(forms.ModelChoiceField):
    """Neighbours by name, with their flat when they show it (see neighbourhoods.names)."""

    def label_from_instance(self, obj: User) -> str:
        return names.user_label(obj)


class NeedFieldsMixin:
    """The kind / description / talent trio, also used for a first need while starting."""

    def clean_need(self, kind: str, description: str, talent: Talent | None, prefix: str = ""):
        if kind and not description:
            self.add_error(f"{prefix}description", _("Describe what exactly you need."))
        if description and not kind:
            self.add_error(f"{prefix}kind", _("Choose what kind of need this is."))
        if kind == NeedKind.TALENT and talent is None:
            self.add_error(f"{prefix}talent", _("Choose which talent you are looking for."))


# The guided start, one form per step. Each step keeps its own values (see views.start).


class StartWishForm(forms.ModelForm):
    language = written_in_field()

    class Meta:
        model = Initiative
        fields = ["wish", "title", "language"]
        labels = {
            "wish": _("What do you wish for your neighbourhood?"),
            "title": _("Give your initiative a short name"),
        }
        help_texts = {
            "wish": _("In your own words. This is what neighbours will read first."),
            "title": _("For example: Cooking together on Fridays."),
        }
        widgets = {"wish": forms.Textarea(attrs={"rows": 5})}


class StartPlanForm(NeedFieldsMixin, forms.ModelForm):
    themes = ThemeChoiceField(
        queryset=Theme.objects.all(), required=False, label=_("Which themes does it touch?")
    )
    # The first need's three fields share one fieldset on the page (see NEED_FIELDS).
    need_kind = forms.ChoiceField(
        label=_("Kind of need"),
        choices=[("", _("Nothing yet"))] + NeedKind.choices,
        required=False,
    )
    need_description = forms.CharField(label=_("What exactly?"), max_length=300, required=False)
    need_talent = VocabularyChoiceField(
        label=_("Which talent?"),
        queryset=Talent.objects.all(),
        required=False,
        empty_label=_("No particular talent"),
        help_text=_("Only when you look for a talent."),
    )

    NEED_FIELDS = ("need_kind", "need_description", "need_talent")

    class Meta:
        model = Initiative
        fields = ["description", "themes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def plan_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.NEED_FIELDS]

    def need_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.NEED_FIELDS]

    def clean(self):
        data = super().clean()
        self.clean_need(
            data.get("need_kind", ""),
            data.get("need_description", ""),
            data.get("need_talent"),
            prefix="need_",
        )
        return data


class StartVisibilityForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["visibility"]
        widgets = {"visibility": CHOICE_LIST}


START_STEPS = [StartWishForm, StartPlanForm, StartVisibilityForm]


class InitiativeForm(forms.ModelForm):
    themes = ThemeChoiceField(queryset=Theme.objects.all(), required=False, label=_("Themes"))
    language = written_in_field()

    class Meta:
        model = Initiative
        fields = ["title", "wish", "description", "language", "themes", "visibility"]
        widgets = {
            "wish": forms.Textarea(attrs={"rows": 5}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "visibility": CHOICE_LIST,
        }


class StatusForm(IdPrefixed, forms.Form):
    id_prefix = "status"

    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in next_statuses(initiative.status)]


class AddInitiatorForm(IdPrefixed, forms.Form):
    id_prefix = "initiator"

    user = PersonChoiceField(
        label=_("Neighbour who shares the lead"),
        queryset=User.objects.none(),
        help_text=_("Neighbours listed in the member directory, and everyone on board."),
    )

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].empty_label = _("Choose a neighbour")
        on_board = Participation.objects.filter(
            initiative=initiative, user=OuterRef("pk"), status=ParticipationStatus.ACCEPTED
        )
        # Residents who chose not to be listed are offered only once they take part here.
        people = (
            User.objects.filter(
                memberships__neighbourhood_id=initiative.neighbourhood_id,
                memberships__role__in=[Role.RESIDENT, Role.HOST],
                is_active=True,
            )
            .filter(names.findable(ties=Q(Exists(on_board)), user_path=""))
            .exclude(
                Exists(
                    Participation.objects.filter(
                        initiative=initiative,
                        user=OuterRef("pk"),
                        role=ParticipantRole.INITIATOR,
                    )
                )
            )
            .order_by("display_name", "pk")
        )
        self.fields["user"].queryset = names.people_with_shown_flat(
            people, neighbourhood_id=initiative.neighbourhood_id
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == "accept"


class JoinForm(IdPrefixed, forms.ModelForm):
    id_prefix = "join"

    talents = TalentChoiceField(
        queryset=Talent.objects.none(),
        required=False,
        label=_("Which of my talents do I bring?"),
        help_text=_("From your profile."),
    )

    class Meta:
        model = Participation
        fields = ["talents", "brings"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talents"].queryset = user.talents.all()


class SupportOfferForm(IdPrefixed, forms.ModelForm):
    id_prefix = "offer"

    class Meta:
        model = SupportOffer
        fields = ["kind", "message", "need"]
        widgets = {"kind": CHOICE_LIST, "message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = SupportKind.choices
        need = self.fields["need"]
        need.queryset = Need.objects.filter(initiative=initiative, is_met=False)
        need.label_from_instance = lambda n: n.description
        need.empty_label = _("Not for one need in particular")


class NeedForm(IdPrefixed, NeedFieldsMixin, forms.ModelForm):
    id_prefix = "need"

    class Meta:
        model = Need
        fields = ["kind", "description", "talent"]
        field_classes = {"talent": VocabularyChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose a kind"))] + NeedKind.choices
        self.fields["talent"].empty_label = _("No particular talent")
        self.fields["talent"].help_text = _("Only when you look for a talent.")

    def clean(self):
        data = super().clean()
        self.clean_need(data.get("kind", ""), data.get("description", ""), data.get("talent"))
        return data


class NeedMetForm(forms.Form):
    """Who met the need: a neighbour on board or a partner organisation (optional)."""

    who = forms.ChoiceField(label=_("Met by"), required=False)

    def __init__(self, *args, people: list[User], organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(u.pk): u for u in people}
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["who"].choices = [
            ("", _("We did it ourselves / not recorded")),
            (_("Neighbours"), [(f"user:{pk}", u.display_name) for pk, u in self.people.items()]),
            (_("Partners"), [(f"org:{pk}", o.name) for pk, o in self.organisations.items()]),
        ]

    def clean_who(self) -> tuple[User | None, Organisation | None]:
        value = self.cleaned_data.get("who", "")
        if not value:
            return None, None
        kind, _sep, pk = value.partition(":")
        if kind == "user" and pk in self.people:
            return self.people[pk], None
        if kind == "org" and pk in self.organisations:
            return None, self.organisations[pk]
        raise ValidationError(_("Choose someone from the list."))


class UpdateForm(IdPrefixed, forms.ModelForm):
    id_prefix = "update"
    language = written_in_field()

    class Meta:
        model = Update
        fields = ["body", "language", "photo", "photo_description"]
        labels = {"body": _("What happened?")}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 4}),
            "photo": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
            ),
        }
        help_texts = {"photo": _("Optional. JPEG, PNG, GIF or WebP, at most 5 MB.")}

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            if photo.size > PHOTO_MAX_BYTES:
                raise ValidationError(_("The photo is too large: at most 5 MB, please."))
            try:
                validate_photo(photo)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["photo"]) from exc
        return photo


class LearningForm(IdPrefixed, forms.ModelForm):
    id_prefix = "learning"
    language = written_in_field()

    class Meta:
        model = Learning
        fields = ["what_worked", "what_did_not", "language"]
        widgets = {
            "what_worked": forms.Textarea(attrs={"rows": 3}),
            "what_did_not": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if (
            not (data.get("what_worked") or "").strip()
            and not (data.get("what_did_not") or "").strip()
        ):
            raise ValidationError(_("Write what worked, what didn't, or both."))
        return data


def _theme_choices() -> list[tuple[str, str]]:
    """Every theme in the reader's language, sorted there; a vocabulary every list shares."""

    def build() -> list[tuple[str, str]]:
        themes = sorted(Theme.objects.all(), key=lambda t: t.label.casefold())
        return [(t.slug, str(t.label)) for t in themes]

    return shared_cache.shared(shared_cache.GLOBAL, "themes", build=build)


class FilterForm(forms.Form):
    """The list's filters. Unknown values are ignored rather than refused."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=SearchInput)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status"))] + Status.choices
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    need = forms.ChoiceField(
        label=_("Looking for"),
        required=False,
        choices=[("", _("Anything"))] + NeedKind.choices,
    )
    mine = forms.BooleanField(label=_("Needs what I can do"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Any theme")), *_theme_choices()]

    def filters(self) -> dict:
        """The valid filters as selector arguments; a bad value drops only that filter."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "theme": data.get("theme") or "",
            "need_kind": data.get("need") or "",
            "needs_my_talents": bool(data.get("mine")),
        }
