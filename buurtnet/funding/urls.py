from django.urls import path

from buurtnet.funding.views import board, public, requests, treasurer

app_name = "funding"

_foundation = "n/<slug:slug>/foundation/<slug:org>/"
_board = f"{_foundation}board/"
_grant = "n/<slug:slug>/grants/<int:pk>/"

urlpatterns = [
    # Everyone, visitors too: where the money comes from and where it goes.
    path(_foundation, public.foundation_page, name="public"),
    # The board: reports and exports.
    path(f"{_board}report/<int:year>.pdf", public.annual_report_pdf, name="report_pdf"),
    path(f"{_board}ledger.csv", public.ledger_csv, name="ledger_csv"),
    path(f"{_board}grants.csv", public.grants_csv, name="grants_csv"),
    # Initiators ask; the board asks questions, votes and decides.
    path(f"{_foundation}apply/<int:initiative_pk>/", requests.request_start, name="request_start"),
    path(_grant, requests.request_detail, name="request"),
    path(f"{_grant}edit/", requests.request_edit, name="request_edit"),
    path(f"{_grant}submit/", requests.request_submit, name="request_submit"),
    path(f"{_grant}withdraw/", requests.request_withdraw, name="request_withdraw"),
    path(f"{_grant}files/", requests.attachment_add, name="attachment_add"),
    path(f"{_grant}messages/", requests.message_post, name="message_post"),
    path(f"{_grant}receipts/", requests.receipt_add, name="receipt_add"),
    path(f"{_grant}vote/", requests.vote, name="vote"),
    path(f"{_grant}chair-decision/", requests.chair_decide, name="chair_decide"),
    path(
        "n/<slug:slug>/decisions/<int:decision_pk>/reverse/",
        requests.decision_reverse,
        name="decision_reverse",
    ),
    # The board's desk.
    path(_board, board.desk, name="desk"),
    path(f"{_board}rules/", board.rules, name="rules"),
    path(f"{_board}seats/", board.seats, name="seats"),
    path(f"{_board}seats/<int:seat_pk>/end/", board.seat_end, name="seat_end"),
    path(f"{_board}funds/", board.funds, name="funds"),
    path(f"{_board}funds/<int:fund_pk>/", board.fund_edit, name="fund_edit"),
    # The treasurer.
    path(f"{_board}money-in/", treasurer.money_in, name="money_in"),
    path(f"{_board}bank/", treasurer.bank, name="bank"),
    path(f"{_board}bank/lines/<int:line_pk>/", treasurer.bank_line, name="bank_line"),
    path(f"{_board}payments/", treasurer.payments, name="payments"),
    path(f"{_board}payments/mark/<int:grant_pk>/", treasurer.payment_mark, name="payment_mark"),
    path(f"{_board}payments/file/", treasurer.payments_file, name="payments_file"),
    path(f"{_board}payments/files/<int:batch_pk>.xml", treasurer.batch_xml, name="batch_xml"),
    path(
        f"{_board}payments/<int:payment_pk>/cancel/",
        treasurer.payment_cancel,
        name="payment_cancel",
    ),
    path(
        f"{_board}receipts/<int:receipt_pk>/check/",
        treasurer.receipt_check,
        name="receipt_check",
    ),
    path(f"{_board}ledger/", treasurer.ledger, name="ledger"),
    path(f"{_board}ledger/<int:entry_pk>/reverse/", treasurer.entry_reverse, name="entry_reverse"),
]
