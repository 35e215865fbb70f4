"""Constrained clustering (services/constraints.py): a cannot-link holds even through third records,
and a contradiction between decisions keeps people apart."""

from digitalcov.records.services.constraints import ConstrainedClusters


def test_a_cannot_link_holds_even_when_a_third_record_links_both():
    clusters = ConstrainedClusters(range(3), cannot_link=[(0, 2)])
    assert clusters.join(0, 1) is True
    assert clusters.join(1, 2) is False  # 2 would meet 0 through 1
    named = clusters.clusters()
    assert named[0] == named[1] != named[2]


def test_contradicting_decisions_keep_the_cannot_linked_records_apart():
    # 0 same as 1, 1 same as 2, but 0 different from 2: the last must-link is refused.
    clusters = ConstrainedClusters(range(3), cannot_link=[(0, 2)])
    assert [clusters.join(0, 1), clusters.join(1, 2)] == [True, False]


def test_clusters_are_named_after_their_smallest_record_and_unknown_records_are_ignored():
    clusters = ConstrainedClusters([5, 7, 9], cannot_link=[(5, 42)])
    assert clusters.join(9, 7) and clusters.join(7, 5)
    assert not clusters.join(5, 42)
    assert clusters.clusters() == {5: 5, 7: 5, 9: 5}
