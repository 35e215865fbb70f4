"""Data quality scores for the catalogue (issue 4, section 7): `scoring` (the pure score and its
reasons), `services` (facts from the database, storing scores), `links` (link checks), `signals`
(rescoring on every change), `tasks` and the `catalogue_quality` command (daily refresh), `views`
(an organisation's quality report) and the dataset page's summary template."""
