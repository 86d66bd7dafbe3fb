"""Reports and actions in the admin: read only, as the hosts' record must stay as it happened."""

from django.contrib import admin

from buurtnet.moderation.models import Action, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "neighbourhood", "reporter", "about", "reason", "status")
    list_filter = ("status", "reason", "neighbourhood")
    search_fields = ("reporter__display_name", "about__display_name", "details")
    list_select_related = ("neighbourhood", "reporter", "about")
    date_hierarchy = "created_at"


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "neighbourhood", "host", "kind", "member", "suspended_until")
    list_filter = ("kind", "neighbourhood")
    search_fields = ("host__display_name", "member__display_name", "reason")
    list_select_related = ("neighbourhood", "host", "member")
    date_hierarchy = "created_at"
