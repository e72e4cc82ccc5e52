from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("repos", "0002_repo_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="repository",
            name="enable_statistics",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="repository",
            name="enable_downloads",
            field=models.BooleanField(default=True),
        ),
    ]
