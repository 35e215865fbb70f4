"""The city's own air quality targets ("green targets"), edited by officers in the admin.

Measurements are not stored here: they are SensorThings Observations in the sensors app, loaded by
``loading.py`` and read back by ``services.py``.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class GreenTarget(models.Model):
    """An annual-mean concentration the city aims to be at or below by a year, e.g. PM2.5 8 µg/m³ by 2030."""

    class Pollutant(models.TextChoices):
        PM25 = "PM2.5", "PM2.5"
        PM10 = "PM10", "PM10"
        NO2 = "NO2", "Nitrogen dioxide (NO2)"
        NOX = "NOx", "Nitrogen oxides as NO2 (NOx)"
        O3 = "O3", "Ozone (O3)"

    pollutant = models.CharField(max_length=10, choices=Pollutant.choices)
    value = models.FloatField(
        "annual mean (µg/m³)", validators=[MinValueValidator(0)], help_text="At or below this is met."
    )
    target_year = models.PositiveIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    description = models.TextField(blank=True, help_text="Where the target comes from and why.")

    class Meta:
        ordering = ["pollutant", "target_year"]

    def __str__(self) -> str:
        return f"{self.pollutant} annual mean {self.value:g} µg/m³ by {self.target_year}"
