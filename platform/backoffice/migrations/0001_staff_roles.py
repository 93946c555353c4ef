"""Create the staff roles (backoffice.roles.ROLES) as auth groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from backoffice.roles import staff_roles_apply

    # Permissions are normally created after all migrations (post_migrate): create them now.
    for app_config in apps.get_app_configs():
        previous, app_config.models_module = getattr(app_config, "models_module", None), True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = previous
    staff_roles_apply(apps=apps)


def remove_roles(apps, schema_editor):
    from backoffice.roles import ROLE_NAMES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_initial"),
        ("address", "0007_useraddress_code"),
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
        ("content", "0001_initial"),
        ("offer", "0013_range_excluded_categories"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("partner", "0007_partneraddress_code"),
        ("payment", "0005_auto_20200801_0817"),
        ("reviews", "0005_productreview_code"),
        ("shipping", "0003_auto_20181115_1953"),
        ("support", "0001_initial"),
        ("voucher", "0010_auto_20210224_0712"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
