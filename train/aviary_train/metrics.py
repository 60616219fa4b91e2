"""Validation metric: macro ROC-AUC over the classes that have positives (BirdCLEF 2024 rule)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

__all__ = ["macro_roc_auc"]


def macro_roc_auc(targets: np.ndarray, scores: np.ndarray) -> tuple[float, list[int]]:
    """targets, scores [n_windows, n_classes]; returns the mean AUC and the classes scored.

    A class without a positive (or without a negative) in ``targets`` has no AUC and is skipped.
    """
    hard = targets >= 0.5
    scored = [c for c in range(targets.shape[1]) if hard[:, c].any() and not hard[:, c].all()]
    if not scored:
        raise ValueError("no class has both positives and negatives in the validation targets")
    aucs = [roc_auc_score(hard[:, c], scores[:, c]) for c in scored]
    return float(np.mean(aucs)), scored
