"""The BOCPD run-length posterior of many series at once (one step over time for all).

The recursion of :func:`~critchem.surveillance.detectors.bocpd.run_length_posterior`
(Adams & MacKay 2007, arXiv:0710.3742; Normal-Gamma prior ``μ₀ = 0, κ₀ = 1, α₀ = 1,
β₀ = 1``), on a ``k × n`` matrix: each month updates the run-length distribution of every
series in array operations, a series with no value that month keeping its own. Run lengths
longer than the month index hold no mass, so only the first ``t + 2`` of them are computed
at month ``t`` (up to ``MAX_RUN + 1``). ``κ`` and ``α`` of a run length depend only on how
many values the series has seen (:class:`_Constants`): they are not carried as state, and
the predictive's terms in them are computed once per count, not per series and month; the
series of one month are stepped together by count (one group unless some have gaps). The
normalising sums run over fewer zeros than for
one series, so the posteriors agree to rounding (the tests allow ``1e-12``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from critchem.surveillance.detectors.bocpd import MAX_RUN

FloatArray = npt.NDArray[np.float64]


def recent_run_posterior(z: FloatArray, *, hazard: float, runs: int = 4) -> FloatArray:
    """``P(r_t = r | z_{1:t})`` for ``r = 1..runs`` of each row of ``z``: ``k × n × runs``.

    >>> z = np.vstack([[0.0] * 30 + [8.0] * 5, [0.0] * 35])
    >>> post = recent_run_posterior(z, hazard=0.01)
    >>> int(post[0, -1].argmax()) + 1, bool(post[1, -1].sum() < 0.1)
    (4, True)
    """
    k, n = z.shape
    size = min(MAX_RUN, n) + 1
    probs = np.zeros((k, size))
    probs[:, 0] = 1.0
    mu = np.full((k, size), MU0)
    beta = np.full((k, size), BETA0)
    count = np.zeros(k, dtype=np.int64)
    constants = _Constants(size)
    out = np.zeros((k, n, runs))
    for t in range(n):
        w = min(t + 2, size)
        ok = np.isfinite(z[:, t])
        if ok.all() and (count == count[0]).all():
            _step(
                mu, beta, probs, slice(None), z[:, t : t + 1], w, hazard, int(count[0]), constants
            )
        elif ok.any():
            rows = np.flatnonzero(ok)
            for seen in np.unique(count[rows]):
                group = rows[count[rows] == seen]
                _step(mu, beta, probs, group, z[group, t : t + 1], w, hazard, int(seen), constants)
        count[ok] += 1
        out[:, t, :] = probs[:, 1 : runs + 1] if size > runs else 0.0
    return out


MU0, KAPPA0, ALPHA0, BETA0 = 0.0, 1.0, 1.0, 1.0
"""The Normal-Gamma prior."""


class _Constants:
    """The hyper-parameters of each run length, fixed by the number of values seen.

    After ``s`` values, the run of length ``c`` (column ``c``) has seen ``min(c + 1, s)`` of
    them (the columns beyond the values seen carry the last seen run's), so
    ``κ = κ₀ + min(c + 1, s)`` and ``α = α₀ + min(c + 1, s) / 2``: only ``μ`` and ``β``
    depend on the data. The Student-t predictive's terms that depend on ``κ`` and ``α``
    alone are computed once per ``s``.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._cache: dict[int, tuple[FloatArray, ...]] = {}

    def __call__(self, seen: int) -> tuple[FloatArray, ...]:
        """``(c0, df·A, (df + 1)/2, κ/(2(κ + 1)), 1/(κ + 1))`` per column after ``seen`` values.

        ``A = (κ + 1)/(ακ)`` is the predictive scale over ``β``, ``df = 2α`` its degrees of
        freedom and ``c0 = lnΓ((df + 1)/2) − lnΓ(df/2) − ½ ln π − ½ ln(df·A)``.
        """
        found = self._cache.get(seen)
        if found is None:
            used = np.minimum(np.arange(self.size) + 1, seen).astype(np.float64)
            kappa, alpha = KAPPA0 + used, ALPHA0 + 0.5 * used
            df = 2 * alpha
            df_a = df * (kappa + 1) / (alpha * kappa)
            c0 = gammaln((df + 1) / 2) - gammaln(df / 2) - 0.5 * np.log(np.pi * df_a)
            found = (c0, df_a, (df + 1) / 2, kappa / (2 * (kappa + 1)), 1 / (kappa + 1))
            self._cache[seen] = found
        return found


def _step(
    mu: FloatArray,
    beta: FloatArray,
    probs: FloatArray,
    rows: slice | npt.NDArray[np.intp],
    xs: FloatArray,
    w: int,
    hazard: float,
    seen: int,
    constants: _Constants,
) -> None:
    """One month of the recursion for the series ``rows``, all with ``seen`` values before.

    ``p(x | r) = St(x; μ_r, β_r(κ_r + 1)/(α_r κ_r), 2α_r)`` (as in ``run_length_posterior``), with
    ``ln p = c0 − ½ ln β − (df + 1)/2 · ln(1 + (x − μ)²/(df·A·β))``.
    """
    size = probs.shape[1]
    c0, df_a, half, beta_gain, mu_gain = (c[:w] for c in constants(seen))
    m, be, pr = mu[rows, :w], beta[rows, :w], probs[rows, :w]
    d = xs - m
    d2 = d * d
    q = be * df_a
    logpred = c0 - 0.5 * np.log(be) - half * np.log1p(d2 / q)
    if seen == 0:
        new = np.zeros_like(pr)
        new[:, 0] = 1.0
    else:
        # Beyond the values seen, the parameters repeat the last seen run's: the maximum
        # over the seen runs is the maximum over all of them, as for one series.
        top = logpred[:, :seen].max(axis=1, keepdims=True)
        pred = np.exp(logpred - top)
        growth = pr * pred
        growth *= 1 - hazard
        new = np.empty_like(pr)
        new[:, 1:] = growth[:, :-1]
        if w == size == MAX_RUN + 1:
            new[:, -1] += growth[:, -1]
        new[:, 0] = pr.sum(axis=1) * hazard * pred[:, 0]
        new /= new.sum(axis=1, keepdims=True)
    beta_new = be + beta_gain * d2
    mu_new = m + mu_gain * d
    x0 = xs[:, 0]
    if isinstance(rows, slice):
        mu[:, 1:w], beta[:, 1:w], probs[:, :w] = mu_new[:, :-1], beta_new[:, :-1], new
        mu[:, 0] = (KAPPA0 * MU0 + x0) / (KAPPA0 + 1)
        beta[:, 0] = BETA0 + KAPPA0 * (x0 - MU0) ** 2 / (2 * (KAPPA0 + 1))
    else:
        mu[rows, 1:w], beta[rows, 1:w], probs[rows, :w] = mu_new[:, :-1], beta_new[:, :-1], new
        mu[rows, 0] = (KAPPA0 * MU0 + x0) / (KAPPA0 + 1)
        beta[rows, 0] = BETA0 + KAPPA0 * (x0 - MU0) ** 2 / (2 * (KAPPA0 + 1))
