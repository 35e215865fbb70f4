"""The actions this site answers, each marked side-effect-free (GET allowed) or not (POST only), as
CKAN's `@side_effect_free` does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import datastore, read, write
from .context import ActionContext

Action = Callable[[ActionContext, dict], Any]

ACTIONS: dict[str, tuple[Action, bool]] = {
    **{
        function.__name__: (function, True)
        for function in (
            read.status_show,
            read.help_show,
            read.package_list,
            read.current_package_list_with_resources,
            read.package_show,
            read.package_search,
            read.organization_list,
            read.organization_show,
            read.group_list,
            read.group_show,
            read.tag_list,
            read.license_list,
            read.resource_show,
            datastore.datastore_search,
            datastore.datastore_search_sql,
        )
    },
    **{
        function.__name__: (function, False)
        for function in (
            write.package_create,
            write.package_update,
            write.package_patch,
            write.package_delete,
            write.resource_create,
            write.resource_update,
            write.resource_patch,
            write.resource_delete,
            datastore.datastore_create,
            datastore.datastore_upsert,
            datastore.datastore_delete,
        )
    },
}

__all__ = ["ACTIONS", "ActionContext"]
