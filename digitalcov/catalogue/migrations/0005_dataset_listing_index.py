# A page of search results in the default order reads this index, not the datasets' rows (search._page).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_search_covering_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dataset",
            index=models.Index(
                fields=["state", "private", "modified", "name", "id"], name="catalogue_dataset_listing"
            ),
        ),
    ]
