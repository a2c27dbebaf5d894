# «Sist øvd» is computed from linked exercises; a typed date is kept as stated, not documented.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0002_plan_attachments"),
    ]

    operations = [
        migrations.RenameField(
            model_name="plan", old_name="last_exercised_on", new_name="stated_exercised_on"
        ),
        migrations.AlterField(
            model_name="plan",
            name="stated_exercised_on",
            field=models.DateField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="oppgitt øvd (ikke dokumentert)",
            ),
        ),
    ]
