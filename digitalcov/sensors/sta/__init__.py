"""The OGC SensorThings API v1.1, Part 1: Sensing (OGC 18-088), one module per concern:
`entities` (the data model, §8), `resource_path` (§9.2), `query_options` (§9.3), `filter` (§9.3.3.5),
`writes` (create, update, delete, §10) and `errors` (the error body FROST-Server and clients expect)."""
