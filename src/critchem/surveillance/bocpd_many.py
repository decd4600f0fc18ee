"""The BOCPD run-length posterior of many series at once (one step over time for all).

The recursion of :func:`~critchem.surveillance.detectors.bocpd.run_length_posterior`
(Adams & MacKay 2007, arXiv:0710.3742; Normal-Gamma prior ``μ₀ = 0, κ₀ = 1, α₀ = 1,
β₀ = 1``), on a ``k × n`` matrix: each month updates the run-length distribution of every
series in array operations, a series with no value that month keeping its own. Run lengths
longer than the month index hold no mass, so only the first ``t + 2`` of them are computed
at month ``t`` (up to ``MAX_RUN + 1``). The normalising sums run over fewer zeros than for
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
    mu0, kappa0, alpha0, beta0 = 0.0, 1.0, 1.0, 1.0
    k, n = z.shape
    size = min(MAX_RUN, n) + 1
    probs = np.zeros((k, size))
    probs[:, 0] = 1.0
    mu = np.full((k, size), mu0)
    kappa = np.full((k, size), kappa0)
    alpha = np.full((k, size), alpha0)
    beta = np.full((k, size), beta0)
    count = np.zeros(k, dtype=np.int64)
    columns = np.arange(size)
    state = (mu, kappa, alpha, beta, probs)
    # α is 1 + 0.5·(values in the run): the Student-t constants, once per possible α.
    alphas = alpha0 + 0.5 * np.arange(n + 2)
    gamma = gammaln((2 * alphas + 1) / 2) - gammaln(2 * alphas / 2)
    out = np.zeros((k, n, runs))
    for t in range(n):
        w = min(t + 2, size)
        x = z[:, t : t + 1]
        ok = np.isfinite(x[:, 0])
        if ok.all():
            _step(state, slice(None), x, w, hazard, count, columns, gamma)
        elif ok.any():
            _step(state, np.flatnonzero(ok), x, w, hazard, count, columns, gamma)
        out[:, t, :] = probs[:, 1 : runs + 1] if size > runs else 0.0
    return out


def _step(
    state: tuple[FloatArray, ...],
    rows: slice | npt.NDArray[np.intp],
    x: FloatArray,
    w: int,
    hazard: float,
    count: npt.NDArray[np.int64],
    columns: npt.NDArray[np.int64],
    gamma: FloatArray,
) -> None:
    """One month of the recursion for the series ``rows`` (updated in place)."""
    mu0, kappa0, alpha0, beta0 = 0.0, 1.0, 1.0, 1.0
    size = state[4].shape[1]
    xs = x[rows]
    m, kap, al, be, pr = (a[rows, :w] for a in state)
    scale2 = be * (kap + 1) / (al * kap)
    df = 2 * al
    constant = gamma[np.rint((al - alpha0) * 2).astype(np.intp)]
    logpred = (
        constant
        - 0.5 * np.log(np.pi * df * scale2)
        - (df + 1) / 2 * np.log1p((xs - m) ** 2 / (df * scale2))
    )
    # Beyond the values seen, the parameters repeat the last seen run's: the maximum over
    # the seen runs is the maximum over all of them, as for one series.
    seen = count[rows]
    held = columns[:w] < np.maximum(seen, 1)[:, None]
    top = np.where(held, logpred, -np.inf).max(axis=1, keepdims=True)
    pred = np.exp(logpred - top)
    first = seen == 0
    growth = pr * pred * (1 - hazard)
    new = np.zeros_like(pr)
    new[:, 1:] = growth[:, :-1]
    if w == size == MAX_RUN + 1:
        new[:, -1] += growth[:, -1]
    new[:, 0] = (pr * hazard).sum(axis=1) * pred[:, 0]
    if first.any():
        new[first] = 0.0
        new[first, 0] = 1.0
    new /= new.sum(axis=1, keepdims=True)
    beta_new = be + kap * (xs - m) ** 2 / (2 * (kap + 1))
    mu_new = (kap * m + xs) / (kap + 1)
    out_mu, out_kappa = np.empty_like(m), np.empty_like(m)
    out_alpha, out_beta = np.empty_like(m), np.empty_like(m)
    out_mu[:, 1:], out_kappa[:, 1:] = mu_new[:, :-1], kap[:, :-1] + 1
    out_alpha[:, 1:], out_beta[:, 1:] = al[:, :-1] + 0.5, beta_new[:, :-1]
    out_mu[:, 0] = (kappa0 * mu0 + xs[:, 0]) / (kappa0 + 1)
    out_kappa[:, 0], out_alpha[:, 0] = kappa0 + 1, alpha0 + 0.5
    out_beta[:, 0] = beta0 + kappa0 * (xs[:, 0] - mu0) ** 2 / (2 * (kappa0 + 1))
    for target, value in zip(state, (out_mu, out_kappa, out_alpha, out_beta, new), strict=True):
        target[rows, :w] = value
    count[rows] += 1
