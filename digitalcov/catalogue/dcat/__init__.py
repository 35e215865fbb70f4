"""Catalogue dcat."""
