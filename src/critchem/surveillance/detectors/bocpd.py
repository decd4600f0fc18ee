"""Bayesian online change-point detection (Adams & MacKay 2007, arXiv:0710.3742).

The series (log scale when positive) is deseasonalised and standardised on its first 36
months (:func:`~critchem.surveillance.detectors._common.seasonal_standardise`) and modelled
as Gaussian segments with unknown mean and variance under a Normal-Gamma prior
(``μ₀ = 0, κ₀ = 1, α₀ = 1, β₀ = 1``) and a constant hazard ``1/λ`` with ``λ = 100`` months.
The run-length posterior ``P(r_t | x_{1:t})`` is updated month by month (truncated at 300
months). An alarm is raised at month ``t`` when the posterior mass on a new regime of 2 to 5
observations, ``Σ_{r=1}^{4} P(r_t = r)``, reaches ``0.5``: a regime that began a few months
ago and has been confirmed by at least two observations (one outlier is not enough). The
estimated start is ``t - r`` at the most probable of those run lengths. Version 1.1 reports
an alarm only when the new regime is material
(:func:`~critchem.surveillance.detectors._common.material_shift`: at least 25 % away from
the same months of earlier years, on a regular series of at least 3.3 t a month).
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np
from scipy.special import gammaln

from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.detectors._common import (
    FittedMixin,
    FloatArray,
    make_event,
    material_shift,
    onsets,
    seasonal_standardise,
)
from critchem.surveillance.detectors.breaks import log_if_positive

MAX_RUN = 300


def run_length_posterior(z: FloatArray, *, hazard: float) -> FloatArray:
    """``P(r_t = r | z_{1:t})`` as a ``(len(z), MAX_RUN + 1)`` array (NaN rows carry over).

    ``r_t = 0`` means the regime began at ``t``.

    >>> post = run_length_posterior(np.array([0.0] * 30 + [8.0] * 5), hazard=0.01)
    >>> int(post[29].argmax()), int(post[-1].argmax())
    (29, 4)
    """
    mu0, kappa0, alpha0, beta0 = 0.0, 1.0, 1.0, 1.0
    size = MAX_RUN + 1
    probs = np.zeros(size)
    probs[0] = 1.0
    mu = np.full(size, mu0)
    kappa = np.full(size, kappa0)
    alpha = np.full(size, alpha0)
    beta = np.full(size, beta0)
    out = np.zeros((len(z), size))
    first = True
    for t, x in enumerate(z):
        if not np.isfinite(x):
            out[t] = probs
            continue
        scale2 = beta * (kappa + 1) / (alpha * kappa)
        df = 2 * alpha
        logpred = (
            gammaln((df + 1) / 2)
            - gammaln(df / 2)
            - 0.5 * np.log(np.pi * df * scale2)
            - (df + 1) / 2 * np.log1p((x - mu) ** 2 / (df * scale2))
        )
        pred = np.exp(logpred - logpred.max())
        if first:
            new = np.zeros(size)
            new[0] = 1.0
            first = False
        else:
            growth = probs * pred * (1 - hazard)
            new = np.zeros(size)
            new[1:] = growth[:-1]
            new[-1] += growth[-1]
            new[0] = (probs * hazard).sum() * pred[0]
        new /= new.sum()
        beta_new = beta + kappa * (x - mu) ** 2 / (2 * (kappa + 1))
        mu_new = (kappa * mu + x) / (kappa + 1)
        post_mu, post_kappa = np.empty(size), np.empty(size)
        post_alpha, post_beta = np.empty(size), np.empty(size)
        post_mu[1:], post_kappa[1:] = mu_new[:-1], kappa[:-1] + 1
        post_alpha[1:], post_beta[1:] = alpha[:-1] + 0.5, beta_new[:-1]
        post_mu[0] = (kappa0 * mu0 + x) / (kappa0 + 1)
        post_kappa[0], post_alpha[0] = kappa0 + 1, alpha0 + 0.5
        post_beta[0] = beta0 + kappa0 * (x - mu0) ** 2 / (2 * (kappa0 + 1))
        mu, kappa, alpha, beta, probs = post_mu, post_kappa, post_alpha, post_beta, new
        out[t] = probs
    return out


class BocpdDetector(FittedMixin, Detector):
    """Adams-MacKay BOCPD, Gaussian with unknown mean and variance, hazard 1/100."""

    name = "bocpd"
    version = "1.1"
    family: ClassVar[Family] = "volume"

    def __init__(
        self, *, expected_run: float = 100.0, threshold: float = 0.5, min_months: int = 36
    ) -> None:
        self.expected_run, self.threshold, self.min_months = expected_run, threshold, min_months

    def fit(self, series: Series) -> Self:
        """Keep ``series``."""
        self._series = series
        return self

    def standardised(self, series: Series) -> FloatArray | None:
        """The deseasonalised, standardised series the posterior is computed on (or ``None``)."""
        x = log_if_positive(np.asarray(series.values, dtype=np.float64))
        return seasonal_standardise(x, baseline=self.min_months)

    def detect(self) -> list[Event]:
        """Onsets of months where a recent new regime is more likely than not."""
        series = self._fitted()
        z = self.standardised(series)
        if z is None:
            return []
        post = run_length_posterior(z, hazard=1.0 / self.expected_run)
        return self.events(series, post[:, 1:5])

    def events(self, series: Series, recent_runs: FloatArray) -> list[Event]:
        """The events of ``series`` given ``P(r_t = r)`` for ``r = 1..4`` (``n × 4``)."""
        ok = np.isfinite(log_if_positive(np.asarray(series.values, dtype=np.float64)))
        recent = recent_runs.sum(axis=1)
        alarm = (recent >= self.threshold) & ok
        alarm[: self.min_months] = False
        events = []
        for i in onsets(alarm):
            run = 1 + int(recent_runs[i].argmax())
            shift = material_shift(np.asarray(series.values, dtype=np.float64), i - run, i)
            if shift is None:
                continue
            events.append(
                make_event(
                    self,
                    series,
                    i,
                    statistic=float(recent[i]),
                    threshold=self.threshold,
                    level="red" if recent[i] >= 0.9 else "amber",
                    message=f"new regime since {series.periods[i - run].isoformat()[:7]}, "
                    f"{shift:+.0%} (posterior {recent[i]:.2f})",
                    evidence={
                        "regime_start": series.periods[i - run].isoformat(),
                        "relative_shift": shift,
                    },
                )
            )
        return events
