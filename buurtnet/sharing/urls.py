from django.urls import path

from buurtnet.sharing.views import board, loans, posts, suggestions

app_name = "sharing"

_share = "n/<slug:slug>/share/"
_post = f"{_share}<int:pk>/"

urlpatterns = [
    # Asks and offers.
    path(_share, posts.post_list, name="list"),
    path(f"{_share}mine/", posts.mine, name="mine"),
    path(f"{_share}new/<str:side>/", posts.post_create, name="create"),
    path(_post, posts.post_detail, name="post"),
    path(f"{_post}edit/", posts.post_edit, name="edit"),
    path(f"{_post}renew/", posts.post_renew, name="renew"),
    path(f"{_post}close/", posts.post_close, name="close"),
    path(f"{_post}answer/", posts.post_answer, name="answer"),
    path(f"{_post}thanks/", posts.post_thank, name="thank"),
    # The right neighbour for each ask.
    path(f"{_post}suggestions/", suggestions.for_post, name="suggestions"),
    path(
        f"{_share}needs/<int:need_pk>/suggestions/", suggestions.for_need, name="need_suggestions"
    ),
    path(f"{_share}asked/", suggestions.inbox, name="inbox"),
    path(f"{_share}asked/<int:pk>/", suggestions.respond, name="respond"),
    # Lending.
    path(f"{_post}borrow/", loans.loan_request, name="borrow"),
    path(f"{_share}loans/<int:pk>/", loans.loan_detail, name="loan"),
    path(f"{_share}loans/<int:pk>/<str:action>/", loans.loan_act, name="loan_act"),
    # The flat's notice board, for the lift or the entrance.
    path(f"{_share}flats/<int:building_pk>/board/", board.board_page, name="board"),
    path(f"{_share}flats/<int:building_pk>/board.pdf", board.board_pdf, name="board_pdf"),
]
