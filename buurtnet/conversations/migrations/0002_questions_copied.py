# Copy the questions to the first point of contact, with their ids, from the neighbourhoods app.
from django.core.management.color import no_style
from django.db import migrations


def copy(apps, schema_editor):
    OldConversation = apps.get_model("neighbourhoods", "Conversation")
    OldMessage = apps.get_model("neighbourhoods", "Message")
    Conversation = apps.get_model("conversations", "Conversation")
    Message = apps.get_model("conversations", "Message")
    db = schema_editor.connection.alias
    for old in OldConversation.objects.using(db).order_by("pk").iterator():
        new = Conversation(
            pk=old.pk,
            neighbourhood_id=old.neighbourhood_id,
            organisation_id=old.organisation_id,
            started_by_id=old.started_by_id,
            subject=old.subject,
            status=old.status,
        )
        new.save(using=db)
        Conversation.objects.using(db).filter(pk=new.pk).update(
            created_at=old.created_at, updated_at=old.updated_at
        )
    for old in OldMessage.objects.using(db).order_by("pk").iterator():
        Message.objects.using(db).create(
            pk=old.pk,
            conversation_id=old.conversation_id,
            author_id=old.author_id,
            body=old.body,
        )
        Message.objects.using(db).filter(pk=old.pk).update(created_at=old.created_at)
    # Rows written with their ids leave PostgreSQL's sequences behind: set them past the last.
    connection = schema_editor.connection
    statements = connection.ops.sequence_reset_sql(no_style(), [Conversation, Message])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0001_initial"),
        ("neighbourhoods", "0004_membership_suspended_until"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
