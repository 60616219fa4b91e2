"""The four losses against values worked out by hand, plus the properties the recipe relies on."""

import math

import pytest
import torch
import torch.nn.functional as F

from aviary_train.losses import dkd_loss, distillation_loss, focal_loss, kd_loss, mld_loss, mld_ramp

TOL = 1e-6


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def test_focal_loss_matches_the_formula_for_one_positive_and_one_negative():
    # p = 0.8 for a positive: -0.25 * 0.2^2 * ln 0.8; p = 0.3 for a negative: -0.75 * 0.3^2 * ln 0.7
    logits = torch.tensor([[logit(0.8), logit(0.3)]], dtype=torch.float64)
    targets = torch.tensor([[1.0, 0.0]], dtype=torch.float64)
    expected = (-0.25 * 0.04 * math.log(0.8) - 0.75 * 0.09 * math.log(0.7)) / 2
    assert focal_loss(logits, targets, alpha=0.25, gamma=2.0).item() == pytest.approx(expected, abs=TOL)


def test_focal_loss_without_alpha_and_gamma_is_binary_cross_entropy():
    logits = torch.randn(4, 5, generator=torch.Generator().manual_seed(0))
    targets = (torch.rand(4, 5, generator=torch.Generator().manual_seed(1)) > 0.5).float()
    bce = F.binary_cross_entropy_with_logits(logits, targets)
    assert focal_loss(logits, targets, alpha=None, gamma=0.0).item() == pytest.approx(bce.item(), abs=TOL)


def test_mld_is_the_bernoulli_kl_averaged_over_classes():
    # teacher 0.9 vs student 0.6, and teacher 0.2 vs student 0.5
    t = torch.tensor([[logit(0.9), logit(0.2)]], dtype=torch.float64)
    s = torch.tensor([[logit(0.6), logit(0.5)]], dtype=torch.float64)
    kl1 = 0.9 * math.log(0.9 / 0.6) + 0.1 * math.log(0.1 / 0.4)
    kl2 = 0.2 * math.log(0.2 / 0.5) + 0.8 * math.log(0.8 / 0.5)
    assert mld_loss(s, t).item() == pytest.approx((kl1 + kl2) / 2, abs=TOL)


def test_mld_is_zero_for_identical_outputs_and_positive_otherwise():
    z = torch.randn(3, 7, generator=torch.Generator().manual_seed(2))
    assert mld_loss(z, z).item() == pytest.approx(0.0, abs=1e-6)
    assert mld_loss(z, z + 0.5).item() > 0


def test_mld_clamps_saturated_probabilities_to_stay_finite():
    s = torch.tensor([[-200.0, 200.0]], dtype=torch.float64)
    t = torch.tensor([[200.0, -200.0]], dtype=torch.float64)
    value = mld_loss(s, t, eps=1e-7)
    assert torch.isfinite(value)
    # Both sides clamp to eps / 1 - eps: each class costs about (1 - 2 eps) ln((1 - eps) / eps).
    eps = 1e-7
    per_class = (1 - eps) * math.log((1 - eps) / eps) + eps * math.log(eps / (1 - eps))
    assert value.item() == pytest.approx(per_class, rel=1e-3)


def test_mld_sends_no_gradient_to_the_teacher():
    s = torch.zeros(1, 2, requires_grad=True)
    t = torch.ones(1, 2, requires_grad=True)
    mld_loss(s, t).backward()
    assert t.grad is None
    # the student is pulled towards the teacher's higher probability
    assert (s.grad < 0).all()


def test_kd_at_temperature_one_equals_mld_and_scales_with_t_squared():
    s = torch.tensor([[0.3, -1.0, 2.0]], dtype=torch.float64)
    t = torch.tensor([[1.0, -2.0, 0.5]], dtype=torch.float64)
    assert kd_loss(s, t, 1.0).item() == pytest.approx(mld_loss(s, t).item(), abs=TOL)
    # at T = 2 the logits are halved and the KL is multiplied by 4
    assert kd_loss(s, t, 2.0).item() == pytest.approx(4 * mld_loss(s / 2, t / 2).item(), abs=TOL)


def test_dkd_splits_target_and_non_target_parts_as_documented():
    # Three classes, class 0 positive. T = 1, alpha = 1, beta = 1.
    s = torch.tensor([[logit(0.6), 0.0, 1.0]], dtype=torch.float64)
    t = torch.tensor([[logit(0.9), 1.0, 0.0]], dtype=torch.float64)
    y = torch.tensor([[1.0, 0.0, 0.0]], dtype=torch.float64)
    tckd = 0.9 * math.log(0.9 / 0.6) + 0.1 * math.log(0.1 / 0.4)
    # softmax over classes 1 and 2: teacher [e/(e+1), 1/(e+1)], student [1/(1+e), e/(1+e)]
    e = math.e
    qt = [e / (e + 1), 1 / (e + 1)]
    qs = [1 / (1 + e), e / (1 + e)]
    nckd = sum(a * math.log(a / b) for a, b in zip(qt, qs))
    value = dkd_loss(s, t, y, alpha=1.0, beta=1.0, temperature=1.0)
    assert value.item() == pytest.approx(tckd + nckd, abs=TOL)
    only_target = dkd_loss(s, t, y, alpha=1.0, beta=0.0, temperature=1.0)
    assert only_target.item() == pytest.approx(tckd, abs=TOL)


def test_dkd_is_finite_for_rows_with_no_positive_or_all_positive():
    s = torch.randn(2, 4, generator=torch.Generator().manual_seed(3), requires_grad=True)
    t = torch.randn(2, 4, generator=torch.Generator().manual_seed(4))
    y = torch.tensor([[0.0, 0, 0, 0], [1.0, 1, 1, 1]])
    value = dkd_loss(s, t, y)
    value.backward()
    assert torch.isfinite(value) and torch.isfinite(s.grad).all()


def test_the_ramp_rises_linearly_from_zero_to_one_over_the_warm_up():
    assert [mld_ramp(e, 4) for e in range(6)] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
    assert mld_ramp(0, 0) == 1.0


def test_the_total_loss_is_focal_weight_times_focal_plus_ramp_times_mld():
    s = torch.tensor([[0.5, -0.5]], dtype=torch.float64)
    t = torch.tensor([[2.0, -1.0]], dtype=torch.float64)
    y = torch.tensor([[1.0, 0.0]], dtype=torch.float64)
    expected = 0.5 * focal_loss(s, y) + 0.5 * mld_loss(s, t)
    assert distillation_loss(s, t, y, epoch=1, warmup_epochs=2, focal_weight=0.5).item() == pytest.approx(expected.item(), abs=TOL)
    assert distillation_loss(s, t, y, epoch=0, warmup_epochs=2).item() == pytest.approx(focal_loss(s, y).item(), abs=TOL)
