"""The equations of the EU critical raw materials method, as pure NumPy functions.

Every function takes floats or arrays (``ArrayLike``) and returns a float64 array (0-d for
scalar inputs), so that one function serves a single material, a table of materials and a
Monte Carlo matrix of draws × materials alike.

Source throughout: European Commission (2017), *Methodology for establishing the EU list of
critical raw materials — Guidelines*, ISBN 978-92-79-68051-9 ("the Guidelines": the economic
importance and supply risk sections), the method of the 2017, 2020 and 2023 criticality
assessments.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

EI_SCALE = 10.0
"""The economic importance is scaled to 0..10 (the Guidelines, economic importance)."""


def hhi_wgi_t(shares: npt.ArrayLike, wgi: npt.ArrayLike, t: npt.ArrayLike = 1.0) -> FloatArray:
    """Supply concentration weighted by governance and trade, summed over the last axis.

    ``HHI_WGI,t = Σ_c (S_c)² · WGI_c · t_c`` (the Guidelines, supply risk), with ``S_c`` country c's share of
    supply as a fraction, ``WGI_c`` its governance rescaled to 0..10 (10 the worst, see
    :func:`critchem.nomenclature.wgi_scaled`) and ``t_c`` the trade factor (1 when no export
    restriction applies).

    Examples
    --------
    Two suppliers with shares 0.6 and 0.4 and WGI 5.5 and 1.45: 0.36·5.5 + 0.16·1.45 = 2.212.

    >>> round(float(hhi_wgi_t([0.6, 0.4], [5.5, 1.45])), 3)
    2.212
    >>> round(float(hhi_wgi_t([1.0], [4.0], [1.1])), 3)
    4.4
    """
    s = np.asarray(shares, dtype=np.float64)
    return np.asarray(np.sum(s * s * np.asarray(wgi) * np.asarray(t), axis=-1), dtype=np.float64)


def import_reliance(
    imports: npt.ArrayLike, exports: npt.ArrayLike, production: npt.ArrayLike
) -> FloatArray:
    """EU import reliance, floored at 0 and capped at 1.

    ``IR = (imports − exports) / (domestic production + imports − exports)`` (the Guidelines);
    a net exporter has IR 0. When the apparent consumption is zero the reliance is 0.

    Examples
    --------
    >>> float(import_reliance(80.0, 20.0, 40.0))  # 60 / (40 + 60)
    0.6
    >>> float(import_reliance(10.0, 30.0, 50.0))  # net exporter
    0.0
    >>> float(import_reliance(5.0, 0.0, 0.0))  # no EU production
    1.0
    """
    net = np.asarray(imports, dtype=np.float64) - np.asarray(exports, dtype=np.float64)
    consumption = np.asarray(production, dtype=np.float64) + net
    ratio = np.divide(net, consumption, out=np.zeros_like(net * consumption), where=net > 0)
    return np.asarray(np.clip(ratio, 0.0, 1.0), dtype=np.float64)


def hhi_blend(hhi_gs: npt.ArrayLike, hhi_eu: npt.ArrayLike, gs_weight: npt.ArrayLike) -> FloatArray:
    """The concentration term of supply risk, a blend of global supply and EU sourcing.

    ``HHI = HHI_GS · w + HHI_EU · (1 − w)`` with ``w = IR/2`` for the ``GS+EU`` supply basis,
    ``w = 1`` when only global supply is used and ``w = 0`` when only EU sourcing is used
    (the Guidelines, supply risk equation).

    Examples
    --------
    >>> float(hhi_blend(7.1, 5.7, 0.5))  # IR = 100 %: 7.1·0.5 + 5.7·0.5
    6.4
    >>> float(hhi_blend(3.0, 1.0, 1.0)), float(hhi_blend(3.0, 1.0, 0.0))
    (3.0, 1.0)
    """
    w = np.asarray(gs_weight, dtype=np.float64)
    return np.asarray(
        np.asarray(hhi_gs, dtype=np.float64) * w + np.asarray(hhi_eu) * (1.0 - w),
        dtype=np.float64,
    )


def supply_risk(hhi: npt.ArrayLike, eol_rir: npt.ArrayLike, si_sr: npt.ArrayLike) -> FloatArray:
    """Supply risk of one stage from its blended concentration term.

    ``SR = HHI · (1 − EoL_RIR) · SI_SR`` (the Guidelines, supply risk equation), ``HHI`` from
    :func:`hhi_blend`, ``EoL_RIR`` the end-of-life recycling input rate (fraction) and ``SI_SR``
    the substitution index for supply risk (0..1).

    Examples
    --------
    Antimony, processing, 2017 (rounded published inputs): [7.1·0.5 + 5.7·0.5]·(1 − 0.28)·0.9.

    >>> round(float(supply_risk(hhi_blend(7.1, 5.7, 0.5), 0.28, 0.9)), 2)
    4.15
    """
    return np.asarray(
        np.asarray(hhi, dtype=np.float64) * (1.0 - np.asarray(eol_rir)) * np.asarray(si_sr),
        dtype=np.float64,
    )


def value_added_sum(shares: npt.ArrayLike, value_added: npt.ArrayLike) -> FloatArray:
    """``Σ_s A_s · Q_s``: end-use shares times the sectors' value added (the Guidelines).

    ``shares`` has sectors on its last axis (materials × sectors); ``value_added`` has sectors on
    its last axis too (one table, or draws × sectors). The result has the materials on its last
    axis.

    Examples
    --------
    >>> float(value_added_sum([0.5, 0.5], [100.0, 300.0]))
    200.0
    >>> value_added_sum([[1.0, 0.0], [0.25, 0.75]], [100.0, 300.0]).tolist()
    [100.0, 250.0]
    """
    a = np.asarray(shares, dtype=np.float64)
    q = np.asarray(value_added, dtype=np.float64)
    return np.asarray(np.matmul(q, a.T), dtype=np.float64)


def economic_importance(
    sum_aq: npt.ArrayLike, max_q: npt.ArrayLike, si_ei: npt.ArrayLike
) -> FloatArray:
    """Economic importance on the 0..10 scale.

    ``EI = SI_EI · 10 · Σ_s (A_s · Q_s) / max_s Q_s`` (the Guidelines, economic importance
    equation and its scaling to the largest manufacturing sector): ``A_s`` the share of end uses
    in NACE 2-digit sector s, ``Q_s`` its value added, the maximum taken over the sectors of the
    value-added table, ``SI_EI`` the substitution index for economic importance.

    Examples
    --------
    Aluminium, 2023 assessment: Σ A·Q = 142,266.8 M€, largest sector C28 = 204,200 M€,
    SI_EI = 0.82 → 0.82 · 10 · 142,266.8 / 204,200 = 5.71.

    >>> round(float(economic_importance(142_266.8, 204_200.0, 0.82)), 2)
    5.71
    """
    return np.asarray(
        np.asarray(si_ei, dtype=np.float64) * EI_SCALE * np.asarray(sum_aq) / np.asarray(max_q),
        dtype=np.float64,
    )


def meets(
    value: npt.ArrayLike, threshold: npt.ArrayLike, *, atol: float = 1e-9
) -> npt.NDArray[np.bool_]:
    """Whether ``value ≥ threshold`` (the EU thresholds are inclusive: SR ≥ 1.0, EI ≥ 2.8).

    A tolerance of ``atol`` absorbs floating-point noise, so that an SR computed as
    0.9999999999999999 meets the threshold 1.0. NaN (not assessed) never meets it.

    Examples
    --------
    >>> meets([1.0, 0.99, 0.9999999999999999], 1.0).tolist()
    [True, False, True]
    """
    return np.asarray(np.asarray(value) >= np.asarray(threshold) - atol)
