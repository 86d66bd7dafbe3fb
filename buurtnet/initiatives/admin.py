from django.contrib import admin

from buurtnet.initiatives.models import (
    Initiative,
    Learning,
    Need,
    Participation,
    SupportOffer,
    Theme,
    Update,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    fields = ["user", "role", "status", "brings", "decided_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["decided_at"]


class NeedInline(admin.TabularInline):
    model = Need
    extra = 0
    fields = ["kind", "description", "talent", "is_met", "met_by", "met_by_organisation"]
    raw_id_fields = ["met_by", "met_by_organisation"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "neighbourhood", "status", "visibility", "updated_at"]
    list_filter = ["neighbourhood", "status", "visibility", "themes"]
    search_fields = ["title", "wish", "description"]
    filter_horizontal = ["themes"]
    raw_id_fields = ["created_by"]
    list_select_related = ["neighbourhood"]
    inlines = [ParticipationInline, NeedInline]


@admin.register(SupportOffer)
class SupportOfferAdmin(admin.ModelAdmin):
    list_display = ["initiative", "organisation", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["initiative__title", "organisation__name", "message"]
    raw_id_fields = ["initiative", "organisation", "offered_by", "need", "decided_by"]
    list_select_related = ["initiative", "organisation"]


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    list_display = ["initiative", "author", "created_at"]
    search_fields = ["initiative__title", "body"]
    raw_id_fields = ["initiative", "author"]
    list_select_related = ["initiative", "author"]


@admin.register(Learning)
class LearningAdmin(admin.ModelAdmin):
    list_display = ["initiative", "author", "created_at"]
    search_fields = ["initiative__title", "what_worked", "what_did_not"]
    raw_id_fields = ["initiative", "author"]
    list_select_related = ["initiative", "author"]
