"""The air quality pages, one module per page type; the figures come from ``services.py``."""
