"""Being written: replaced as a whole by its author."""

from django.http import Http404


def loan_request(request, *args, **kwargs):
    raise Http404


def loan_detail(request, *args, **kwargs):
    raise Http404


def loan_act(request, *args, **kwargs):
    raise Http404
