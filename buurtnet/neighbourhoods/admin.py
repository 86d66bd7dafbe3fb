from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from buurtnet.neighbourhoods.models import (
    Building,
    Home,
    InviteCode,
    JoinRequest,
    Membership,
    Neighbourhood,
    Organisation,
)


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0
    fields = ["name", "street"]
    show_change_link = True


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "municipality", "created_at"]
    search_fields = ["name", "slug", "municipality"]
    list_filter = ["municipality"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["languages"]
    inlines = [BuildingInline]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood", "street", "home_count"]
    search_fields = ["name", "street", "neighbourhood__name"]
    list_filter = ["neighbourhood"]
    list_select_related = ["neighbourhood"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(home_total=Count("homes"))

    @admin.display(description=_("homes"), ordering="home_total")
    def home_count(self, obj: Building) -> int:
        return obj.home_total


@admin.register(Home)
class HomeAdmin(admin.ModelAdmin):
    list_display = ["number", "building", "neighbourhood"]
    search_fields = ["number", "building__name"]
    list_filter = ["building__neighbourhood", "building"]
    list_select_related = ["building__neighbourhood"]
    autocomplete_fields = ["building"]

    @admin.display(description=_("neighbourhood"), ordering="building__neighbourhood__name")
    def neighbourhood(self, obj: Home) -> Neighbourhood:
        return obj.building.neighbourhood


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood", "kind", "is_first_point_of_contact"]
    search_fields = ["name", "slug", "description"]
    list_filter = ["neighbourhood", "kind", "is_first_point_of_contact"]
    list_select_related = ["neighbourhood"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "neighbourhood", "role", "building", "organisation", "created_at"]
    search_fields = ["user__display_name", "user__email", "neighbourhood__name"]
    list_filter = ["neighbourhood", "role"]
    list_select_related = ["user", "neighbourhood", "building", "organisation"]
    autocomplete_fields = ["user", "building", "home", "organisation", "invite"]


@admin.register(InviteCode)
class InviteCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "neighbourhood", "home", "max_uses", "use_count", "revoked_at"]
    search_fields = ["code", "home__number", "home__building__name"]
    list_filter = ["neighbourhood", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["neighbourhood", "home__building"]
    autocomplete_fields = ["home", "created_by"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(use_total=Count("uses"))

    @admin.display(description=_("used by"), ordering="use_total")
    def use_count(self, obj: InviteCode) -> int:
        return obj.use_total


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "neighbourhood", "building", "status", "created_at", "decided_at"]
    search_fields = ["user__display_name", "user__email", "message"]
    list_filter = ["neighbourhood", "status"]
    list_select_related = ["user", "neighbourhood", "building"]
    autocomplete_fields = ["user", "building", "decided_by"]
