"""Catalogue previews."""
