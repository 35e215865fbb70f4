"""The SensorThings MQTT Extension (OGC 18-088 §14, "SensorThings MQTT Extension"): every new or changed
entity is published to the standard's topics after its transaction commits (`publisher`, "Receive
updates with MQTT Subscribe", conformance class `.../req/receive-updates-via-mqtt`), and Observations
published by sensors to `v1.1/Datastreams(<id>)/Observations` are stored in batches by the ingest worker
(`ingest`, "Create an Observation with MQTT Publish", conformance class
`.../req/create-observations-via-mqtt`). `topics` names the topics; `broker` reads
`settings.MQTT_BROKER_URL`; `simulator` makes the readings `digitalcov simulate-sensors` publishes. With
that setting empty (the default) MQTT is off and nothing here opens a connection. Who may publish is the
broker's business (docs/mqtt/, decision 6)."""
