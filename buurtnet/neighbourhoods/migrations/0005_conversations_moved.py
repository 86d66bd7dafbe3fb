# Questions to the first point of contact now live in the conversations app (copied there by
# conversations 0002, with the same ids, so links in notifications keep working).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("neighbourhoods", "0004_membership_suspended_until"),
        ("conversations", "0002_questions_copied"),
    ]

    operations = [
        migrations.RemoveField(model_name="message", name="conversation"),
        migrations.RemoveField(model_name="message", name="author"),
        migrations.DeleteModel(name="Conversation"),
        migrations.DeleteModel(name="Message"),
    ]
