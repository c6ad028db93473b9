"""Optional differential-privacy noise on count tables, through OpenDP (``pip install justice-schema[dp]``).

Each record falls in exactly one interior cell, so the interior counts have L1 sensitivity 1; the
Laplace mechanism of OpenDP (``make_laplace`` on integer vectors, scale ``1/epsilon``) adds noise
to them, and the totals are summed from the noisy cells (post-processing, no extra budget). Negative
noisy counts are set to 0 (post-processing too). The budget spent is returned for the output
metadata.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from justice_schema.errors import InputError

__all__ = ["laplace_counts"]


def laplace_counts(inner: np.ndarray, epsilon: float) -> tuple[np.ndarray, dict[str, Any]]:
    """Noisy interior counts and the privacy budget spent (``epsilon``-DP for adding or removing one record).

    Raises :class:`InputError` when OpenDP is not installed.
    """
    try:
        import opendp.prelude as dp
    except ImportError:
        raise InputError("this profile asks for differential-privacy noise (epsilon): install the optional "
                         "extra with pip install 'justice-schema[dp]'") from None
    dp.enable_features("contrib")
    scale = 1.0 / epsilon
    mechanism = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=scale)
    flat = [int(v) for v in inner.reshape(-1)]
    noisy = np.array(mechanism(flat), dtype=np.int64).reshape(inner.shape) if flat else inner.copy()
    budget = {"library": "opendp", "library_version": getattr(dp, "__version__", "unknown"),
              "mechanism": "laplace (integer, make_laplace)", "epsilon": float(mechanism.map(1)),
              "scale": scale, "sensitivity_l1": 1, "unit": "one record added or removed",
              "post_processing": "negative counts set to 0; totals summed from noisy cells"}
    return np.clip(noisy, 0, None), budget
