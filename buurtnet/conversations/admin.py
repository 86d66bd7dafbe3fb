from django.contrib import admin

from buurtnet.conversations.models import Conversation, Message, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["user", "joined_at", "last_read_at", "emailed_at", "email_due_at"]
    readonly_fields = ["joined_at"]
    autocomplete_fields = ["user"]


class MessageInline(admin.StackedInline):
    model = Message
    extra = 0
    fields = ["author", "body", "created_at", "hidden_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["author"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "neighbourhood",
        "organisation",
        "started_by",
        "status",
        "updated_at",
    ]
    search_fields = ["subject", "started_by__display_name", "organisation__name"]
    list_filter = ["neighbourhood", "status", "organisation"]
    list_select_related = ["neighbourhood", "organisation", "started_by"]
    autocomplete_fields = ["organisation", "started_by"]
    inlines = [ParticipantInline, MessageInline]
