from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from buurtnet.conversations.services import MAX_BODY, MAX_SUBJECT
from buurtnet.neighbourhoods.models import Organisation


def _subject(label) -> forms.CharField:
    # dir="auto": what members write reads in its own direction, Arabic as well as Dutch.
    return forms.CharField(
        label=label, max_length=MAX_SUBJECT, widget=forms.TextInput(attrs={"dir": "auto"})
    )


def _with_name(text: str, **names: str) -> SafeString:
    """A help text naming someone. Django shows help texts as HTML: the translated text and the
    names are escaped here, and each name is isolated from the sentence around it (an Arabic
    name in a Dutch sentence, a Dutch one in Arabic)."""
    isolated = {key: format_html("<bdi>{}</bdi>", value) for key, value in names.items()}
    return mark_safe(conditional_escape(text) % isolated)  # noqa: S308 - every part escaped


def _body(label, rows: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": rows, "dir": "auto"}),
    )


class QuestionForm(forms.Form):
    subject = _subject(_("What is it about?"))
    body = _body(_("Your question"), 6)

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["body"].help_text = _with_name(
                _("Only you and the professionals of %(organisation)s read this."),
                organisation=organisation.name,
            )


class ReplyForm(forms.Form):
    body = _body(_("Your reply"), 4)

    def __init__(self, *args, label=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["body"].label = label


class StartForm(forms.Form):
    subject = _subject(_("Subject"))
    body = _body(_("Your message"), 6)

    def __init__(self, *args, recipient_name: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if recipient_name:
            self.fields["body"].help_text = _with_name(
                _(
                    "Only you and %(name)s read this. Your email address and phone number stay "
                    "private."
                ),
                name=recipient_name,
            )
