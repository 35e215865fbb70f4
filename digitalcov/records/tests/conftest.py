"""Fixtures for the golden records tests."""

import pytest


@pytest.fixture(autouse=True)
def quick_training(settings):
    """Sample fewer random pairs to estimate u: fake_1000 has only 499,500 pairs in all, and the
    smaller sample keeps each linkage test to a few seconds."""
    settings.RECORDS_U_SAMPLE_PAIRS = 100_000
