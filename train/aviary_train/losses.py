"""Multi-label training losses: focal loss and three ways to distil a teacher's logits.

Every function takes logits ``[B, C]`` (C classes, each an independent sigmoid, since several
birds call in one window) and returns a scalar tensor unless ``reduction='none'``. Teacher
logits are detached: gradients flow only into the student.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

__all__ = ["distillation_loss", "dkd_loss", "focal_loss", "kd_loss", "mld_loss", "mld_ramp"]

# A logit this low has probability exp(-1e4) = 0 in float32 and float64 alike, yet stays finite,
# so a masked class adds exactly 0 to a KL sum and no NaN to its gradient (-inf would do both).
_MASKED_LOGIT = -1e4


def _reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"reduction is {reduction!r}; it must be 'mean', 'sum' or 'none'")


def _binary_kl(teacher_logits: torch.Tensor, student_logits: torch.Tensor) -> torch.Tensor:
    """Elementwise KL(Bernoulli(σ(t)) || Bernoulli(σ(s))), computed from logits via logsigmoid."""
    log_pt, log_1m_pt = F.logsigmoid(teacher_logits), F.logsigmoid(-teacher_logits)
    log_ps, log_1m_ps = F.logsigmoid(student_logits), F.logsigmoid(-student_logits)
    return log_pt.exp() * (log_pt - log_ps) + log_1m_pt.exp() * (log_1m_pt - log_1m_ps)


def focal_loss(
    logits: torch.Tensor,
    targets: torch.Tensor,
    alpha: float | None = 0.25,
    gamma: float = 2.0,
    reduction: str = "mean",
) -> torch.Tensor:
    """Sigmoid focal loss (Lin et al. 2017) for multi-label ``logits, targets [B, C]``.

    With ``p = σ(z)`` and a target ``y ∈ [0, 1]`` (soft targets from mixup are fine):

        BCE  = -(y log p + (1 - y) log(1 - p))
        p_t  = y p + (1 - y)(1 - p)             probability given to the target
        α_t  = y α + (1 - y)(1 - α)             (1 when alpha is None)
        loss = α_t (1 - p_t)^γ BCE

    ``gamma=0, alpha=None`` is plain binary cross-entropy. Reduced over all B × C entries.
    """
    targets = targets.to(logits.dtype)
    bce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p = torch.sigmoid(logits)
    p_t = targets * p + (1 - targets) * (1 - p)
    loss = bce * (1 - p_t) ** gamma
    if alpha is not None:
        loss = loss * (targets * alpha + (1 - targets) * (1 - alpha))
    return _reduce(loss, reduction)


def kd_loss(
    student_logits: torch.Tensor, teacher_logits: torch.Tensor, temperature: float = 2.0
) -> torch.Tensor:
    """Logit distillation (Hinton et al. 2015) adapted to independent sigmoid classes.

    A softmax over classes would make the classes compete, which a multi-label head does not
    do, so each class is its own two-outcome distribution softened by the temperature T:

        q_t = σ(z_t / T),  q_s = σ(z_s / T)
        loss = T² · mean over B × C of KL(Bern(q_t) || Bern(q_s))

    The T² keeps the gradient's size roughly independent of T, as in the softmax original.
    ``student_logits, teacher_logits [B, C]``.
    """
    t = temperature
    return t * t * _binary_kl(teacher_logits.detach() / t, student_logits / t).mean()


def dkd_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    targets: torch.Tensor,
    alpha: float = 1.0,
    beta: float = 8.0,
    temperature: float = 4.0,
) -> torch.Tensor:
    """Decoupled KD (Zhao et al. 2022) adapted to multi-label; all tensors ``[B, C]``.

    The original splits softmax KD into a target part (TCKD: the binary "target vs the rest"
    distribution) and a non-target part (NCKD: the distribution among the wrong classes,
    renormalised). With several targets per row and independent sigmoids, we take:

    - targets: the classes with ``targets > 0.5`` in a row (soft mixup targets are thresholded).
    - TCKD: for each target class, the binary KL between the teacher's and the student's
      ``σ(z / T)``; summed over a row's targets (one target gives the original per-sample term)
      and averaged over the batch. A row without targets adds 0.
    - NCKD: softmax over the row's non-target classes only, ``softmax(z / T)`` with targets
      masked out, then KL(teacher || student); averaged over the batch. It carries how the
      teacher ranks the wrong classes against each other, independent of how sure it is of
      the right ones. A row whose classes are all targets adds 0.
    - loss = T² (α · TCKD + β · NCKD).
    """
    t = temperature
    teacher = teacher_logits.detach() / t
    student = student_logits / t
    is_target = targets > 0.5
    n_rows = student.shape[0]

    tckd = (_binary_kl(teacher, student) * is_target).sum() / n_rows

    log_q_t = F.log_softmax(teacher.masked_fill(is_target, _MASKED_LOGIT), dim=1)
    log_q_s = F.log_softmax(student.masked_fill(is_target, _MASKED_LOGIT), dim=1)
    per_class = log_q_t.exp() * (log_q_t - log_q_s)
    per_row = (per_class * ~is_target).sum(dim=1)
    nckd = (per_row * (~is_target).any(dim=1)).sum() / n_rows
    return t * t * (alpha * tckd + beta * nckd)


def mld_loss(
    student_logits: torch.Tensor, teacher_logits: torch.Tensor, eps: float = 1e-7
) -> torch.Tensor:
    """Multi-label distillation: per-class Bernoulli KL, positive and negative parts summed.

    With ``p_t = clamp(σ(z_t), eps, 1 - eps)`` and ``p_s = clamp(σ(z_s), eps, 1 - eps)``:

        loss = mean over B × C of  p_t log(p_t / p_s) + (1 - p_t) log((1 - p_t) / (1 - p_s))

    The clamp keeps saturated probabilities (σ = 0 or 1 in float32) finite; a student
    probability outside ``[eps, 1 - eps]`` gets no gradient from this term.
    """
    p_t = torch.sigmoid(teacher_logits.detach()).clamp(eps, 1 - eps)
    p_s = torch.sigmoid(student_logits).clamp(eps, 1 - eps)
    kl = p_t * torch.log(p_t / p_s) + (1 - p_t) * torch.log((1 - p_t) / (1 - p_s))
    return kl.mean()


def mld_ramp(epoch: int, warmup_epochs: int) -> float:
    """Weight of the distillation term at 0-based ``epoch``: ``min(1, epoch / warmup_epochs)``.

    Epoch 0 gives 0 (the first epoch learns from labels alone, while the student's logits are
    still noise), epoch ``warmup_epochs`` and later give 1; ``warmup_epochs <= 0`` gives 1 always.
    """
    if warmup_epochs <= 0:
        return 1.0
    return min(1.0, max(0.0, epoch / warmup_epochs))


def distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    targets: torch.Tensor,
    epoch: int,
    warmup_epochs: int,
    focal_weight: float = 1.0,
    alpha: float | None = 0.25,
    gamma: float = 2.0,
    eps: float = 1e-7,
) -> torch.Tensor:
    """``focal_weight · focal_loss(student, targets) + mld_ramp(epoch, warmup) · mld_loss``."""
    focal = focal_loss(student_logits, targets, alpha=alpha, gamma=gamma)
    return focal_weight * focal + mld_ramp(epoch, warmup_epochs) * mld_loss(
        student_logits, teacher_logits, eps
    )
