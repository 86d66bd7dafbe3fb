from django.contrib import admin

from buurtnet.activities.models import (
    Activity,
    OccurrenceChange,
    Place,
    PlaceKeeper,
    PlaceOpening,
    Rsvp,
    SeriesBooking,
)


class PlaceKeeperInline(admin.TabularInline):
    model = PlaceKeeper
    extra = 0
    fields = ["user", "assigned_by", "created_at"]
    raw_id_fields = ["user", "assigned_by"]
    readonly_fields = ["created_at"]


class PlaceOpeningInline(admin.TabularInline):
    model = PlaceOpening
    extra = 0
    fields = ["weekday", "opens", "closes"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood", "capacity"]
    list_filter = ["neighbourhood"]
    search_fields = ["name", "address"]
    list_select_related = ["neighbourhood"]
    inlines = [PlaceKeeperInline, PlaceOpeningInline]


class OccurrenceChangeInline(admin.TabularInline):
    model = OccurrenceChange
    extra = 0
    fields = ["original_start", "cancelled", "new_start", "new_end", "note"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "neighbourhood", "start_date", "start_time", "rrule", "until"]
    list_filter = ["neighbourhood", "audience", "is_public"]
    search_fields = ["title", "description"]
    filter_horizontal = ["languages"]
    raw_id_fields = ["initiative", "place", "previous", "created_by"]
    list_select_related = ["neighbourhood"]
    inlines = [OccurrenceChangeInline]


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin):
    list_display = ["activity", "occurrence_start", "user", "status", "guests", "waitlisted"]
    list_filter = ["status", "waitlisted"]
    search_fields = ["activity__title", "user__display_name"]
    raw_id_fields = ["activity", "user"]
    list_select_related = ["activity", "user"]


@admin.register(SeriesBooking)
class SeriesBookingAdmin(admin.ModelAdmin):
    list_display = ["activity", "place", "status", "requested_by", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["activity__title", "place__name"]
    raw_id_fields = ["activity", "place", "requested_by", "decided_by"]
    list_select_related = ["activity", "place", "requested_by", "decided_by"]
