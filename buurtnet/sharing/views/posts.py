"""Being written: replaced as a whole by its author."""

from django.http import Http404


def post_list(request, *args, **kwargs):
    raise Http404


def mine(request, *args, **kwargs):
    raise Http404


def post_create(request, *args, **kwargs):
    raise Http404


def post_detail(request, *args, **kwargs):
    raise Http404


def post_edit(request, *args, **kwargs):
    raise Http404


def post_renew(request, *args, **kwargs):
    raise Http404


def post_close(request, *args, **kwargs):
    raise Http404


def post_answer(request, *args, **kwargs):
    raise Http404


def post_thank(request, *args, **kwargs):
    raise Http404
