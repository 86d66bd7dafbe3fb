from django.urls import path

from buurtnet.activities import views_helping as views

app_name = "helping"

OCCURRENCE = "n/<slug:slug>/agenda/<int:activity_pk>/<str:when>/"

urlpatterns = [
    path(f"{OCCURRENCE}tasks/add/", views.task_add, name="task_add"),
    path(f"{OCCURRENCE}tasks/<int:task_pk>/edit/", views.task_update, name="task_update"),
    path(f"{OCCURRENCE}tasks/<int:task_pk>/remove/", views.task_remove, name="task_remove"),
    path(f"{OCCURRENCE}tasks/<int:task_pk>/help/", views.task_signup, name="task_signup"),
    path(f"{OCCURRENCE}tasks/<int:task_pk>/withdraw/", views.task_withdraw, name="task_withdraw"),
    path(f"{OCCURRENCE}dish/", views.dish_set, name="dish_set"),
    path(f"{OCCURRENCE}dish/remove/", views.dish_remove, name="dish_remove"),
    path(f"{OCCURRENCE}attendance/", views.attendance_record, name="attendance_record"),
    path(
        f"{OCCURRENCE}attendance/photos/",
        views.attendance_photo_add,
        name="attendance_photo_add",
    ),
    path(
        f"{OCCURRENCE}attendance/photos/<int:photo_pk>/remove/",
        views.attendance_photo_remove,
        name="attendance_photo_remove",
    ),
]
