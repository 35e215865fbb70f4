"""The eight entity types of the OGC SensorThings API v1.1 (OGC 18-088 §8.2) and the API tokens that
allow writes.

Storage design for time series (issue 3, "Storage for time series")
-------------------------------------------------------------------
Observations are the one table that grows to tens of millions of rows; everything else stays small.

- `Observation.id` is a `BigAutoField`: 64-bit from the start, so the table never needs a type change.
- Time instants and intervals are stored as two plain columns, `*_start` and `*_end` (`end` empty for an
  instant, §8.2.7 "TM_Object"), so a window query is a plain range on an indexed column rather than a
  parse of "start/end" text.
- Two composite indexes lead with the datastream, so every question about one datastream is a range
  of index entries however large the table grows (benchmarks/sensors_query.py measures them at 10
  million Observations; tests/test_query_plans.py fails if a plan stops using them):
  `sensors_obs_ds_time_span`, `(datastream_id, phenomenon_time_start, id, phenomenon_time_end)`,
  answers "one datastream over a time window" with one index range scan, in `$orderby=phenomenonTime`
  order with the id tie-break every page ends with (so no sort), and `$count` over the window from
  the index alone: a `phenomenonTime` `$filter` also tests `phenomenon_time_end` (an interval's end),
  which is why that column is in the index (SQLite shows "COVERING INDEX", PostgreSQL an index-only
  scan once VACUUM has run). `sensors_obs_ds_time_desc`, `(datastream_id, -phenomenon_time_start)`,
  answers "the latest observation of a datastream" (`ORDER BY phenomenon_time_start DESC, id LIMIT
  1`) by reading its first entry; SQLite cannot read the first index backwards with the ascending id
  tie-break, PostgreSQL can use either (ordering equal times by id as it goes).
  "The latest observation of each of 100 datastreams" (`$expand=Observations($top=1)`) is one such
  probe per datastream (see `sta.expand`): a window function numbering each datastream's rows would
  read every Observation of all 100 first.
  The sort clauses carry no NULLS FIRST/LAST on these NOT NULL columns (`sta.query_options`), since
  PostgreSQL would not read an index in an order whose NULLs placement differs from the index's.
  Because both indexes start with `datastream_id`, the foreign key gets no index of its own.
- `result` is JSON (any type, §8.2.7); a numeric result is also copied into `result_number` (a float),
  so `$filter=result gt 40` and `$orderby=result` compare numbers on both SQLite and PostgreSQL.
- Locations and features keep their GeoJSON as JSON and also plain `longitude`/`latitude` columns
  (the point, or the first position of a line or polygon), indexed together for bounding-box queries
  without needing a spatial database.
- `properties`/`parameters` are JSON; JSON key paths (`properties/owner`) are filterable.
"""

from __future__ import annotations

from django.db import models


class Thing(models.Model):
    """§8.2.1: an object of the physical or information world that can be identified."""

    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    properties = models.JSONField(null=True, blank=True)
    locations = models.ManyToManyField("Location", related_name="things", blank=True)

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """§8.2.2: where a Thing is (its last known location); `location` is in `encoding_type` (GeoJSON)."""

    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    encoding_type = models.CharField(max_length=255, default="application/geo+json")
    location = models.JSONField()
    properties = models.JSONField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["longitude", "latitude"], name="sensors_location_lonlat")]

    def __str__(self) -> str:
        return self.name


class HistoricalLocation(models.Model):
    """§8.2.3: when a Thing was at which Locations."""

    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="historical_locations")
    time = models.DateTimeField()
    locations = models.ManyToManyField(Location, related_name="historical_locations")

    class Meta:
        indexes = [models.Index(fields=["thing", "-time"], name="sensors_histloc_thing_time")]

    def __str__(self) -> str:
        return f"Thing {self.thing_id} at {self.time:%Y-%m-%d %H:%M}"


class Sensor(models.Model):
    """§8.2.5: the instrument that observes a property; `metadata` is in `encoding_type`."""

    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    encoding_type = models.CharField(max_length=255)
    metadata = models.TextField()
    properties = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class ObservedProperty(models.Model):
    """§8.2.6: the phenomenon observed, e.g. nitrogen dioxide concentration."""

    name = models.CharField(max_length=255)
    definition = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    properties = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Datastream(models.Model):
    """§8.2.4: Observations of one ObservedProperty by one Sensor on one Thing, in one unit.

    `phenomenon_time_*` and `result_time_*` are the spans of its Observations, kept up to date as
    Observations are stored (§8.2.4 says the server derives them)."""

    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    unit_of_measurement = models.JSONField()
    observation_type = models.CharField(max_length=255)
    observed_area = models.JSONField(null=True, blank=True)
    phenomenon_time_start = models.DateTimeField(null=True, blank=True)
    phenomenon_time_end = models.DateTimeField(null=True, blank=True)
    result_time_start = models.DateTimeField(null=True, blank=True)
    result_time_end = models.DateTimeField(null=True, blank=True)
    properties = models.JSONField(null=True, blank=True)
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="datastreams")
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="datastreams")
    observed_property = models.ForeignKey(
        ObservedProperty, on_delete=models.CASCADE, related_name="datastreams"
    )

    def __str__(self) -> str:
        return self.name


class FeatureOfInterest(models.Model):
    """§8.2.8: what an Observation is about; often made by the server from the Thing's Location, in
    which case `generated_from` points at that Location so later Observations reuse it."""

    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    encoding_type = models.CharField(max_length=255, default="application/geo+json")
    feature = models.JSONField()
    properties = models.JSONField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    generated_from = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["longitude", "latitude"], name="sensors_foi_lonlat")]

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    """§8.2.7: one act of measuring. See the module docstring for the indexes."""

    id = models.BigAutoField(primary_key=True)
    datastream = models.ForeignKey(
        Datastream, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    feature_of_interest = models.ForeignKey(
        FeatureOfInterest, on_delete=models.CASCADE, related_name="observations"
    )
    phenomenon_time_start = models.DateTimeField()
    phenomenon_time_end = models.DateTimeField(null=True, blank=True)
    result_time = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True)
    result_number = models.FloatField(null=True, blank=True)
    result_quality = models.JSONField(null=True, blank=True)
    valid_time_start = models.DateTimeField(null=True, blank=True)
    valid_time_end = models.DateTimeField(null=True, blank=True)
    parameters = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["datastream", "phenomenon_time_start", "id", "phenomenon_time_end"],
                name="sensors_obs_ds_time_span",
            ),
            models.Index(fields=["datastream", "-phenomenon_time_start"], name="sensors_obs_ds_time_desc"),
        ]

    def __str__(self) -> str:
        return f"Observation {self.pk} of Datastream {self.datastream_id}"


class MqttIngestedMessage(models.Model):
    """An MQTT message the ingest worker stored (see `mqtt.ingest`): its key is a SHA-256 of the Datastream
    id and the payload bytes, so a QoS 1 re-delivery of a message already stored is recognised and skipped.
    Only MQTT-ingested Observations have one."""

    key = models.CharField(max_length=64, unique=True)
    observation = models.OneToOneField(Observation, on_delete=models.CASCADE, related_name="mqtt_message")
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"MQTT message for Observation {self.observation_id}"


class MqttSubscription(models.Model):
    """A topic an MQTT client subscribes to that the server cannot work out from an entity alone: a
    path through a navigation to one entity (`v1.1/Observations(1)/Datastream`), a many-to-many or
    deeper navigation set, a property of a related entity, or a `$select` (OGC 18-088 §14.2). Kept by
    `digitalcov sensors_mqtt_subscriptions` from the broker's own subscription log (see
    `mqtt.subscriptions`); the publisher sends on these topics only while someone listens."""

    client_id = models.CharField(max_length=200)
    topic = models.CharField(max_length=1000, help_text="Below the prefix, e.g. Observations(1)/Datastream.")
    persistent = models.BooleanField(
        default=True, help_text="The client's session outlives its connection (MQTT clean session off)."
    )
    subscribed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client_id", "topic"], name="one_row_per_subscription")
        ]
        indexes = [models.Index(fields=["topic"], name="mqtt_subscription_topic")]

    def __str__(self) -> str:
        return self.topic


class ApiToken(models.Model):
    """A credential for the SensorThings API. Only a SHA-256 hash of the token is stored: tokens are 256
    random bits, so a slow password hash adds nothing and a fast lookup by hash is safe."""

    name = models.CharField(max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    can_write = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
