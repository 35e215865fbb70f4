"""Django admin for the catalogue: staff with the catalogue's model permissions (the "Open data
manager" role in core/roles.py) manage organisations and their members, themes, licences, datasets and
resources. The history of metadata changes can be read, never edited; API tokens are issued with
`services.issue_token` and here can only be seen and revoked."""

from django.contrib import admin

from .models import (
    ApiToken,
    Dataset,
    DatasetExtra,
    Licence,
    Membership,
    MetadataChange,
    Organisation,
    Resource,
    Tag,
    Theme,
)
from .services import history
from .services.search_index import index_dataset


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "state", "created"]
    list_filter = ["state"]
    search_fields = ["title", "name"]
    prepopulated_fields = {"name": ["title"]}
    inlines = [MembershipInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "name"]
    search_fields = ["title", "name"]
    prepopulated_fields = {"name": ["title"]}


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "is_open", "ckan_id", "position"]
    list_filter = ["is_open"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class ExtraInline(admin.TabularInline):
    model = DatasetExtra
    extra = 0


class ResourceInline(admin.StackedInline):
    model = Resource
    extra = 0
    fields = ["name", "url", "upload", "format", "resource_type", "position", "description"]


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "organisation", "licence", "private", "state", "modified"]
    list_filter = ["state", "private", "organisation", "licence", "update_frequency"]
    search_fields = ["title", "name", "notes"]
    autocomplete_fields = ["tags"]
    filter_horizontal = ["themes"]
    readonly_fields = ["id", "creator", "created", "modified"]
    inlines = [ResourceInline, ExtraInline]

    def save_model(self, request, obj, form, change):
        # The metadata as stored before this save, for the history entry written in save_related.
        before = history.snapshot(Dataset.objects.get(pk=obj.pk)) if change else None
        request.catalogue_before = before
        if not change:
            obj.creator = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """Changes made here are kept in the history and reach search, like those made through the API."""
        super().save_related(request, form, formsets, change)
        action = "admin_change" if change else "admin_add"
        history.record_change(form.instance, request.user, action, getattr(request, "catalogue_before", None))
        index_dataset(form.instance)


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "dataset", "format", "resource_type", "size", "last_modified"]
    list_filter = ["format", "resource_type", "datastore_active"]
    search_fields = ["name", "dataset__title"]
    readonly_fields = ["id", "created", "metadata_modified"]


@admin.register(MetadataChange)
class MetadataChangeAdmin(admin.ModelAdmin):
    list_display = ["dataset", "action", "actor", "at"]
    list_filter = ["action"]
    readonly_fields = ["dataset", "action", "actor", "at", "changes"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at", "expires_at"]
    readonly_fields = ["user", "name", "token_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
