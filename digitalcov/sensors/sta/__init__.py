"""The OGC SensorThings API v1.1, Part 1: Sensing (OGC 18-088), one module per concern:
`entities` (the data model, §8), `resource_path` (§9.2), `query_options` (§9.3, including reading
`$expand`), `expand` (loading expanded entities, §9.3.2.1), `filter_parser`/`filter_compiler`
(§9.3.3.5) with `filter_times` (intervals and date functions) and `filter_geo`/`geometry` (the
geospatial functions, with shapely), `writes` (create, PATCH, PUT, delete, §10), `data_array` (the
dataArray extension, §14) and `errors` (the error body FROST-Server and clients expect)."""
