from django.db import migrations, models


class Migration(migrations.Migration):
    """Events written before this migration keep hash version 1 (actor label, no actor id): their hashes
    are left as they were, so they verify as before and any earlier tampering stays visible."""

    dependencies = [
        ("core", "0003_institution_member_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="Which fields the hash covers (hrcoop.core.audit.HASH_VERSION); 1 predates the actor's id.",
            ),
            preserve_default=False,
        ),
    ]
