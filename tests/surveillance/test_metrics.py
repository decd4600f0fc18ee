"""Metrics against numbers computed by hand from their definitions.

Change-point F1 and covering follow van den Burg & Williams (2020), section 4.1: the index 0
is a change point in the annotations and in the predictions; precision counts predictions
matching any annotator's location, recall is averaged over annotators.
"""

from __future__ import annotations

import pytest

from critchem.evaluation.metrics import (
    covering,
    detection_delay,
    f_measure,
    false_alarms_per_100_series_years,
    precision_recall,
)


def test_f_measure_single_annotator_by_hand() -> None:
    # X = {0, 10, 21, 60}, T = {0, 20, 50}, margin 5: 0↔0, 20↔21; 50 unmatched, 10 and 60 false.
    # P = 2/4, R = 2/3, F1 = 2·(1/2)(2/3)/(1/2 + 2/3) = 4/7.
    assert f_measure([[20, 50]], [10, 21, 60], margin=5) == pytest.approx(4 / 7)


def test_f_measure_two_annotators_by_hand() -> None:
    # T1 = {0, 30}, T2 = {0, 33, 70}, X = {0, 31}: union {0, 30, 33, 70}.
    # P: 0↔0 and 30↔31 (31 used once) → 2/2 = 1. R1 = 2/2, R2 = {0, 33↔31} = 2/3.
    # R = (1 + 2/3)/2 = 5/6; F1 = 2·1·(5/6)/(1 + 5/6) = 10/11.
    assert f_measure([[30], [33, 70]], [31], margin=5) == pytest.approx(10 / 11)


def test_f_measure_margin_is_inclusive_and_one_to_one() -> None:
    assert f_measure([[50]], [55], margin=5) == 1.0
    assert f_measure([[50]], [56], margin=5) == pytest.approx(2 * (1 / 2) * (1 / 2) / 1)
    # two predictions near one change: only one counts (P = 2/3, R = 1).
    assert f_measure([[50]], [49, 51], margin=5) == pytest.approx(0.8)


def test_f_measure_zero_baseline() -> None:
    # Predicting nothing: X = {0}; P = 1, R = 1/2 with one change → F1 = 2/3.
    assert f_measure([[40]], []) == pytest.approx(2 / 3)
    assert f_measure([[]], []) == 1.0


def test_covering_by_hand() -> None:
    # T = 100, truth {40}: A1 = [0,40), A2 = [40,100). Prediction {50}: B1 = [0,50), B2 = [50,100).
    # J(A1,B1) = 40/50 = 0.8; J(A2,B2) = 50/60, J(A2,B1) = 10/90 → 5/6.
    # C = (40·0.8 + 60·5/6)/100 = (32 + 50)/100 = 0.82.
    assert covering([[40]], [50], n_obs=100) == pytest.approx(0.82)


def test_covering_perfect_and_averaged_over_annotators() -> None:
    assert covering([[10, 20]], [10, 20], n_obs=30) == 1.0
    # Annotator 2 marks nothing: its single segment [0,30) has max Jaccard 20/30 with [10, 30)...
    # predicted segments [0,10), [10,20), [20,30) → each Jaccard 10/30 → C2 = 30·(1/3)/30 = 1/3.
    assert covering([[10, 20], []], [10, 20], n_obs=30) == pytest.approx((1 + 1 / 3) / 2)


def test_precision_recall_with_margin() -> None:
    s = precision_recall([10, 30, 80], [9, 12, 33, 60], margin=2)
    # 10↔9 (12 unused: 10 is taken), 30 unmatched (33 is 3 away), 80 unmatched.
    assert (s.true_positives, s.precision) == (1, 0.25)
    assert s.recall == pytest.approx(1 / 3)
    assert s.f1 == pytest.approx(2 * 0.25 * (1 / 3) / (0.25 + 1 / 3))
    empty = precision_recall([], [])
    assert (empty.precision, empty.recall) == (1.0, 1.0)


def test_delay_and_false_alarm_rate() -> None:
    assert detection_delay(24, [10, 25, 30]) == 1
    assert detection_delay(24, [10]) is None
    # 2 false alarms on 10 series watched for 60 months = 50 series-years → 4 per 100.
    assert false_alarms_per_100_series_years(2, 10, 60) == pytest.approx(4.0)
    assert false_alarms_per_100_series_years(0, 0, 0) == 0.0
