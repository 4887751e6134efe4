from django.db import migrations


def move_into_core(apps, schema_editor):
    """Keep the registry's number and time, so that caches and ETags keyed by them stay valid."""
    RegistryVersion = apps.get_model("recommendations", "RegistryVersion")
    DataVersion = apps.get_model("core", "DataVersion")
    for row in RegistryVersion.objects.filter(pk=1):
        DataVersion.objects.update_or_create(
            name="registry", defaults={"number": row.number, "changed_at": row.changed_at}
        )


def move_back(apps, schema_editor):
    RegistryVersion = apps.get_model("recommendations", "RegistryVersion")
    DataVersion = apps.get_model("core", "DataVersion")
    for row in DataVersion.objects.filter(name="registry"):
        RegistryVersion.objects.update_or_create(
            pk=1, defaults={"number": row.number, "changed_at": row.changed_at}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_data_version"),
        ("recommendations", "0005_lean_indexes"),
    ]

    operations = [
        migrations.RunPython(move_into_core, move_back),
        migrations.DeleteModel(name="RegistryVersion"),
    ]
