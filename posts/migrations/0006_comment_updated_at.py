import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("posts", "0005_publications_comments_metrics")]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now,
                                       help_text="Changes whenever it is shown, hidden or removed."),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalcomment",
            name="updated_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, editable=False,
                                       help_text="Changes whenever it is shown, hidden or removed."),
            preserve_default=False,
        ),
    ]
