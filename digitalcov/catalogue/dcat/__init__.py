"""DCAT-AP 3.0 for the catalogue: `vocabulary` (namespaces and the EU/IANA code lists), `graph` (our
models as RDF), `documents` (paged catalogue and dataset documents, public datasets only), `views` and
`urls` (the endpoints), `checks` (DCAT-AP's mandatory and recommended properties, checked on a graph)."""
