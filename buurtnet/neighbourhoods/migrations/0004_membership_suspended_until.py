from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("neighbourhoods", "0003_membership_newest"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="suspended_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="suspended until"),
        ),
    ]
