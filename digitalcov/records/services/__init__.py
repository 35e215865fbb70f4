"""Golden records services, one module per concern: `sources`, `imports` (section 1, with the
standardisation rules of section 2 in `records.standardise`), `linkage` (section 3, Splink), `golden`
(section 4: survivorship and stable ids), `membership` (the CSV export) and `bulk` (fast inserts)."""
