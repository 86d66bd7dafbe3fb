"""Being written: replaced as a whole by its author."""

from django.http import Http404


def for_post(request, *args, **kwargs):
    raise Http404


def for_need(request, *args, **kwargs):
    raise Http404


def inbox(request, *args, **kwargs):
    raise Http404


def respond(request, *args, **kwargs):
    raise Http404
