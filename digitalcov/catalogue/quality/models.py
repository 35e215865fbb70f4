"""What the quality service stores: each dataset's score with its reasons (kept so search can sort by
it without recomputing), and the last check of each link or API resource's URL."""

from __future__ import annotations

from django.db import models

from ..models import Dataset, Resource


class QualityScore(models.Model):
    """A dataset's quality score (0-100), its openness stars (0-5), and per axis what it earned and
    what to fix: [{"key", "title", "earned", "possible", "applicable", "fixes": [...], "notes": [...]}]."""

    dataset = models.OneToOneField(
        Dataset, on_delete=models.CASCADE, primary_key=True, related_name="quality"
    )
    score = models.PositiveSmallIntegerField(db_index=True)
    stars = models.PositiveSmallIntegerField(default=0)
    axes = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "quality score"

    def __str__(self) -> str:
        return f"{self.dataset_id}: {self.score}"

    @property
    def fixes(self) -> list[str]:
        return [fix for axis in self.axes for fix in axis.get("fixes", [])]


class LinkCheck(models.Model):
    """The last check of a link or API resource's URL: whether it answered, how, and when."""

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, primary_key=True, related_name="link_check"
    )
    url = models.CharField(max_length=2000)
    ok = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # The server's Last-Modified header: when the data behind a link last changed, for freshness.
    last_modified = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "link check"

    def __str__(self) -> str:
        return f"{self.url}: {'ok' if self.ok else 'broken'}"
