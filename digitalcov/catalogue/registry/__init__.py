"""The platform data registry: other apps publish datasets in the catalogue.

An app registers a provider in its `AppConfig.ready()`:

    registry.register_dataset_provider("sensors", datastreams.datasets)

where the provider yields `PlatformDataset`s (`descriptions.py`). `sync.py` creates, updates and
retires them in the council's organisation (`publisher.py`), through the catalogue's services; run it
with `digitalcov sync_platform_datasets` (on a schedule), as a task (`tasks.py`), and after the demo
data loads. `datastreams.py` is the sensors app's provider; `day_csv.py` serves a Datastream's daily CSV.
"""

from .descriptions import PlatformDataset, PlatformResource
from .sync import SyncSummary, sync_platform_datasets, sync_source

__all__ = ["PlatformDataset", "PlatformResource", "SyncSummary", "sync_platform_datasets", "sync_source"]
