"""Being written: replaced as a whole by its author."""

from django.http import Http404


def board_page(request, *args, **kwargs):
    raise Http404


def board_pdf(request, *args, **kwargs):
    raise Http404
