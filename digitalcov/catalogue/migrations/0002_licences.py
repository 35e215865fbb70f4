"""Load the licences the catalogue offers (catalogue/licences.py); OGL v3 is the default."""

from django.db import migrations


def load_licences(apps, schema_editor):
    from digitalcov.catalogue.licences import LICENCES

    Licence = apps.get_model("catalogue", "Licence")
    for position, (id_, ckan_id, title, url, is_open, is_generic) in enumerate(LICENCES):
        Licence.objects.update_or_create(
            id=id_,
            defaults={"ckan_id": ckan_id, "title": title, "url": url, "is_open": is_open,
                      "is_generic": is_generic, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(load_licences, migrations.RunPython.noop)]
