"""Helpers for tests across the project: factories for people, and browser and server harnesses."""
