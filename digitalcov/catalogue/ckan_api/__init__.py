"""The CKAN Action API v3 (docs.ckan.org/en/2.11/api/): `views` is the endpoint and its envelope,
`actions` the registry of action functions (`read` and `write`), `dicts` the result shapes."""
