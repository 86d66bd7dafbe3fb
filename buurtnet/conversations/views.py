import math

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtnet.conversations import selectors, services, topics
from buurtnet.conversations.forms import QuestionForm, ReplyForm, StartForm
from buurtnet.conversations.models import Conversation
from buurtnet.core.forms import add_service_errors
from buurtnet.core.ratelimit import RateLimited
from buurtnet.neighbourhoods.access import member_required, resident_required
from buurtnet.people.selectors import blocked_between

# Every how many seconds the conversation page asks for new messages (with htmx).
POLL_SECONDS = 15


def _nav(conversation: Conversation | None = None) -> str:
    return "organisations" if conversation is not None and conversation.is_question else "messages"


def _conversation_or_404(request: HttpRequest, pk: int) -> Conversation:
    """Only the people taking part find a conversation; for everyone else it does not exist."""
    found = selectors.conversation_for_member(membership=request.membership, pk=pk)
    if found is None:
        raise Http404
    return found


def _error_status(exc: ValidationError) -> int:
    codes = {error.code for error in exc.error_list} if not hasattr(exc, "error_dict") else set()
    return 409 if "closed" in codes else 400


# Questions to the first point of contact --------------------------------------------------------


@resident_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """A resident asks the neighbourhood team (the first point of contact) a question."""
    neighbourhood = request.neighbourhood
    contact = selectors.first_point_of_contact(neighbourhood=neighbourhood)
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST, organisation=contact)
        if form.is_valid():
            try:
                conversation = services.question_ask(
                    neighbourhood=neighbourhood,
                    user=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your question is with %(organisation)s. You will hear when they answer.")
                    % {"organisation": conversation.organisation.name},
                )
                return redirect("conversations:detail", neighbourhood.slug, conversation.pk)
        status = 400
    else:
        form = QuestionForm(organisation=contact)
    return render(
        request,
        "conversations/ask.html",
        {"nav": "organisations", "form": form, "contact": contact},
        status=status,
    )


@member_required
@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    """A resident's questions, or a professional's organisation inbox (open ones first)."""
    membership = request.membership
    return render(
        request,
        "conversations/questions.html",
        {
            "nav": "organisations",
            "conversations": selectors.questions_for_member(membership=membership),
            "contact": selectors.first_point_of_contact(neighbourhood=request.neighbourhood)
            if membership.is_resident
            else None,
        },
    )


# All conversations ------------------------------------------------------------------------------


@member_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """All of my conversations here, questions and private ones, newest first, unread marked."""
    rows = []
    for conversation in selectors.inbox_for_member(membership=request.membership):
        names = [
            seat.user.display_name
            for seat in conversation.participants.all()
            if seat.user_id != request.user.pk
        ]
        rows.append({"conversation": conversation, "names": ", ".join(names)})
    return render(request, "conversations/inbox.html", {"nav": "messages", "rows": rows})


def _detail_context(request: HttpRequest, conversation: Conversation, form: ReplyForm) -> dict:
    shown = list(conversation.messages.all())
    others = [
        seat.user for seat in conversation.participants.all() if seat.user_id != request.user.pk
    ]
    return {
        "nav": _nav(conversation),
        "conversation": conversation,
        "shown_messages": shown,
        "others": [] if conversation.is_question else others,
        "topic": topics.topic_of(conversation, request.membership),
        "form": form,
        "team_ids": selectors.organisation_member_ids(organisation=conversation.organisation),
        "poll_seconds": POLL_SECONDS,
        "last_id": shown[-1].pk if shown else 0,
    }


def _reply_form(conversation: Conversation, data=None) -> ReplyForm:
    label = None if conversation.is_question else _("Your message")
    return ReplyForm(data, label=label)


@member_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One conversation and its messages, with the form to write more; only for those taking
    part. Opening it marks it read."""
    conversation = _conversation_or_404(request, pk)
    status = 200
    if request.method == "POST":
        form = _reply_form(conversation, request.POST)
        if form.is_valid():
            try:
                services.message_send(
                    conversation_id=conversation.pk,
                    user=request.user,
                    body=form.cleaned_data["body"],
                )
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("You cannot send a message here."))
                status = 403
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = _error_status(exc)
            else:
                messages.success(request, _("Your message is sent."))
                return redirect("conversations:detail", request.neighbourhood.slug, pk)
        else:
            status = 400
        conversation = _conversation_or_404(request, pk)  # as it is now, after the refusal
    else:
        form = _reply_form(conversation)
    context = _detail_context(request, conversation, form)
    if context["shown_messages"]:
        services.conversation_read(
            conversation=conversation,
            user=request.user,
            until=context["shown_messages"][-1].created_at,
        )
    return render(request, "conversations/detail.html", context, status=status)


@member_required
@require_GET
def messages_after(request: HttpRequest, pk: int) -> HttpResponse:
    """The messages newer than `?after=<message id>`, for the conversation page to add (htmx);
    204 when there are none."""
    conversation = _conversation_or_404(request, pk)
    try:
        after = int(request.GET.get("after", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Which messages? The address lacks a message number."))
    newer = selectors.messages_after(conversation=conversation, after=after)
    if not newer:
        return HttpResponse(status=204)
    services.conversation_read(
        conversation=conversation, user=request.user, until=newer[-1].created_at
    )
    return render(
        request,
        "conversations/_new_messages.html",
        {
            "conversation": conversation,
            "shown_messages": newer,
            "team_ids": selectors.organisation_member_ids(organisation=conversation.organisation),
            "poll_seconds": POLL_SECONDS,
            "last_id": newer[-1].pk,
        },
    )


@member_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Either person closes the conversation; nobody can write in it after that."""
    conversation = _conversation_or_404(request, pk)
    services.conversation_close(conversation_id=conversation.pk, user=request.user)
    messages.success(
        request,
        _("You closed this conversation. Nobody can send new messages in it any more."),
    )
    return redirect("conversations:detail", request.neighbourhood.slug, conversation.pk)


# Starting a private conversation ----------------------------------------------------------------


def _rate_limited_message(retry_after: int) -> str:
    minutes = max(1, math.ceil(retry_after / 60))
    return ngettext(
        "You started many conversations in the last hour. Please wait %(minutes)s minute, then "
        "send your message again. What you wrote is still here.",
        "You started many conversations in the last hour. Please wait %(minutes)s minutes, then "
        "send your message again. What you wrote is still here.",
        minutes,
    ) % {"minutes": minutes}


def _recipient_and_topic(request: HttpRequest):
    """Who the member writes to (`?to=`) and about what (`?about=`); 404 for anything that is
    not there for this member to see."""
    about = request.GET.get("about", "")
    topic = None
    if about:
        topic = topics.resolve(about, request.membership)
        if topic is None:
            raise Http404
    to = request.GET.get("to", "")
    if not to and topic is not None and topics.label_of(topic) == "people.user":
        to = str(topic.pk)
    if not to.isdigit() or len(to) > 18:
        raise Http404
    recipient = selectors.member_to_write_to(
        neighbourhood_id=request.neighbourhood.pk, user_id=int(to)
    )
    if recipient is None:
        raise Http404
    return recipient, topic


def _refusal(request: HttpRequest, recipient) -> tuple[int, str]:
    """Why this member cannot write to `recipient` (with the status to answer), or (200, "")."""
    if recipient.pk == request.user.pk:
        return 400, _("You cannot start a conversation with yourself.")
    if blocked_between(request.user.pk, recipient.pk):
        return 403, _("One of you blocked the other, so you cannot send messages to each other.")
    if recipient.membership_here.is_suspended:
        return 403, _("%(name)s cannot receive messages here right now.") % {
            "name": recipient.display_name
        }
    return 200, ""


@member_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Write privately to a neighbour, maybe about an ask or offer, an initiative or a profile."""
    recipient, topic = _recipient_and_topic(request)
    neighbourhood = request.neighbourhood
    query = {"to": recipient.pk}
    if topic is not None:
        query["about"] = topics.about(topic)
    existing = selectors.open_private_conversation(
        neighbourhood_id=neighbourhood.pk, user_ids=(request.user.pk, recipient.pk), topic=topic
    )
    context = {
        "nav": "messages",
        "recipient": recipient,
        "topic": topics.describe(topic) if topic is not None else None,
        "action": f"{reverse('conversations:start', args=[neighbourhood.slug])}?{urlencode(query)}",
        "existing": existing,
    }
    form_options = {"recipient_name": recipient.display_name}
    status, refusal = _refusal(request, recipient)
    context["refusal"] = refusal
    if request.method == "GET":
        # The title of what it is about; a person's name makes no subject.
        subject = ""
        if topic is not None and topics.label_of(topic) != "people.user":
            subject = topics.title(topic)[: services.MAX_SUBJECT]
        form = StartForm(initial={"subject": subject}, **form_options)
        return render(request, "conversations/start.html", {**context, "form": form}, status=status)

    form = StartForm(request.POST, **form_options)
    if refusal:
        # What was typed stays on the page, to keep or to copy.
        return render(request, "conversations/start.html", {**context, "form": form}, status=status)
    if not form.is_valid():
        return render(request, "conversations/start.html", {**context, "form": form}, status=400)
    try:
        conversation = services.conversation_start(
            neighbourhood=neighbourhood,
            user=request.user,
            to_user=recipient,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            topic=topic,
        )
    except RateLimited as exc:
        form.add_error(None, _rate_limited_message(exc.retry_after))
        response = render(
            request, "conversations/start.html", {**context, "form": form}, status=429
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You cannot send a message here."))
        return render(request, "conversations/start.html", {**context, "form": form}, status=403)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return render(request, "conversations/start.html", {**context, "form": form}, status=400)
    if existing is not None and conversation.pk == existing.pk:
        messages.success(
            request,
            _("You already had this conversation with %(name)s: your message is added to it.")
            % {"name": recipient.display_name},
        )
    else:
        messages.success(request, _("Your message is sent."))
    return redirect("conversations:detail", neighbourhood.slug, conversation.pk)
