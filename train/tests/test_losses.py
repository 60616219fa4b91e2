"""The losses against values worked out by hand, and the properties each should have.

Hand values use logits whose sigmoids are round: σ(0) = 1/2, σ(ln 3) = 3/4, σ(ln 4) = 4/5,
σ(-ln 3) = 1/4. Tensors are float64 so the hand arithmetic holds to ~1e-12.
"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from aviary_train.losses import distillation_loss, dkd_loss, focal_loss, kd_loss, mld_loss, mld_ramp

LN2, LN3, LN4 = math.log(2), math.log(3), math.log(4)


def tensor(*rows) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float64)


def test_focal_loss_matches_hand_arithmetic_on_two_classes():
    # class 0: z = 0, p = 1/2, y = 1: BCE = ln 2, p_t = 1/2, (1 - p_t)² = 1/4, α_t = 0.25
    #          → 0.25 · 0.25 · 0.693147 = 0.0433217
    # class 1: z = ln 3, p = 3/4, y = 0: BCE = -ln(1/4) = 1.386294, p_t = 1/4, (3/4)² = 0.5625,
    #          α_t = 0.75 → 0.75 · 0.5625 · 1.386294 = 0.5848429
    logits, targets = tensor([0.0, LN3]), tensor([1.0, 0.0])
    per_class = [0.25 * 0.25 * LN2, 0.75 * 0.5625 * LN4]
    assert focal_loss(logits, targets, reduction="none")[0].tolist() == pytest.approx(per_class)
    assert focal_loss(logits, targets).item() == pytest.approx(sum(per_class) / 2)  # 0.3140823
    assert focal_loss(logits, targets, reduction="sum").item() == pytest.approx(sum(per_class))


def test_focal_loss_with_gamma_0_and_no_alpha_is_binary_cross_entropy_on_soft_targets():
    torch.manual_seed(0)
    logits, targets = (
        torch.randn(6, 5, dtype=torch.float64) * 3,
        torch.rand(6, 5, dtype=torch.float64),
    )
    want = F.binary_cross_entropy_with_logits(logits, targets)
    assert focal_loss(logits, targets, alpha=None, gamma=0.0).item() == pytest.approx(
        want.item(), rel=1e-12
    )


def test_focal_loss_down_weights_confident_correct_predictions_more_than_bce():
    logits, targets = tensor([4.0, -4.0, 0.0]), tensor([1.0, 0.0, 1.0])
    ratio = focal_loss(
        logits, targets, alpha=None, reduction="none"
    ) / F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    # (1 - p_t)²: σ(4) = 0.98201 → 3.2e-4 for both confident entries, 1/4 for the unsure one.
    assert ratio[0].tolist() == pytest.approx(
        [(1 - torch.sigmoid(tensor(4.0)).item()) ** 2] * 2 + [0.25]
    )


def test_focal_loss_rejects_an_unknown_reduction():
    with pytest.raises(ValueError, match="reduction"):
        focal_loss(tensor([0.0]), tensor([1.0]), reduction="avg")


def test_kd_loss_matches_hand_arithmetic_at_temperature_2():
    # teacher z = 2 ln 3 → σ(z / 2) = 3/4; student z = 0 → 1/2.
    # KL = 3/4 ln(3/2) + 1/4 ln(1/2) = 0.304099 - 0.173287 = 0.130812; × T² = 4 → 0.523248
    student = tensor([0.0]).requires_grad_()
    loss = kd_loss(student, tensor([2 * LN3]), temperature=2.0)
    assert loss.item() == pytest.approx(4 * (0.75 * math.log(1.5) + 0.25 * math.log(0.5)))
    # d/dz_s = T² · (σ(z_s / T) - q_t) / T = 2 · (1/2 - 3/4) = -0.5: raising the student's logit
    # towards the teacher's lowers the loss.
    loss.backward()
    assert student.grad.item() == pytest.approx(-0.5)


def test_kd_loss_pulls_each_student_logit_towards_the_teachers():
    torch.manual_seed(1)
    student = torch.randn(4, 6, dtype=torch.float64, requires_grad=True)
    teacher = torch.randn(4, 6, dtype=torch.float64)
    kd_loss(student, teacher, temperature=3.0).backward()
    assert torch.equal(torch.sign(student.grad), torch.sign(student.detach() - teacher))
    assert kd_loss(teacher, teacher, 3.0).item() == pytest.approx(0.0, abs=1e-15)


def test_mld_loss_matches_hand_arithmetic_on_two_classes():
    # class 0: p_t = 4/5, p_s = 1/2: 0.8 ln 1.6 + 0.2 ln 0.4 = 0.376003 - 0.183258 = 0.192745
    # class 1: p_t = 1/2, p_s = 1/4: 0.5 ln 2 + 0.5 ln(2/3) = 0.346574 - 0.202733 = 0.143841
    # mean over the two classes = 0.168293
    loss = mld_loss(tensor([0.0, -LN3]), tensor([LN4, 0.0]))
    class_0 = 0.8 * math.log(1.6) + 0.2 * math.log(0.4)
    class_1 = 0.5 * math.log(2.0) + 0.5 * math.log(0.5 / 0.75)
    assert loss.item() == pytest.approx((class_0 + class_1) / 2)


def test_mld_loss_is_zero_for_identical_logits_and_positive_otherwise():
    torch.manual_seed(2)
    teacher = torch.randn(8, 10) * 4
    assert mld_loss(teacher, teacher).item() == pytest.approx(0.0, abs=1e-7)
    for _ in range(5):
        assert mld_loss(torch.randn(8, 10) * 4, teacher).item() > 0.0


def test_mld_loss_clamps_saturated_probabilities_to_a_finite_value():
    # σ(100) = 1 and σ(-100) ≈ 4e-44 < eps: clamped to 1 - eps and eps, giving
    # (1 - eps) ln((1 - eps) / eps) + eps ln(eps / (1 - eps)) = (1 - 2 eps) ln((1 - eps) / eps).
    eps = 1e-7
    student = tensor([-100.0]).requires_grad_()
    loss = mld_loss(student, tensor([100.0]), eps=eps)
    assert loss.item() == pytest.approx((1 - 2 * eps) * math.log((1 - eps) / eps))  # 16.118
    loss.backward()
    assert torch.isfinite(student.grad).all()
    assert math.isfinite(mld_loss(torch.tensor([[-1e4, 1e4]]), torch.tensor([[1e4, -1e4]])).item())


def test_mld_loss_sends_no_gradient_to_the_teacher():
    student = torch.zeros(1, 2, requires_grad=True)
    teacher = torch.ones(1, 2, requires_grad=True)
    mld_loss(student, teacher).backward()
    assert teacher.grad is None
    assert (student.grad < 0).all()  # pulled up towards the teacher's σ(1) = 0.73


def test_kd_loss_at_temperature_2_is_4_times_the_kl_of_halved_logits():
    student, teacher = tensor([0.3, -1.0, 2.0]), tensor([1.0, -2.0, 0.5])
    assert kd_loss(student, teacher, 2.0).item() == pytest.approx(
        4 * kd_loss(student / 2, teacher / 2, 1.0).item()
    )


def test_mld_loss_equals_kd_at_temperature_1_when_nothing_is_clamped():
    torch.manual_seed(3)
    student, teacher = (
        torch.randn(5, 7, dtype=torch.float64),
        torch.randn(5, 7, dtype=torch.float64),
    )
    assert mld_loss(student, teacher).item() == pytest.approx(
        kd_loss(student, teacher, 1.0).item(), rel=1e-9
    )


def test_dkd_loss_matches_hand_arithmetic_on_one_target_and_two_non_targets():
    # targets [1, 0, 0]; T = 1.
    # TCKD, class 0: teacher σ(ln 3) = 3/4, student σ(0) = 1/2 → 0.130812 (as in the KD test).
    # NCKD, classes 1 and 2: teacher softmax(ln 2, 0) = (2/3, 1/3), student softmax(0, 0) = (1/2, 1/2)
    #       → 2/3 ln(4/3) + 1/3 ln(2/3) = 0.191788 - 0.135155 = 0.056633.
    student, teacher, targets = (
        tensor([0.0, 0.0, 0.0]),
        tensor([LN3, LN2, 0.0]),
        tensor([1.0, 0.0, 0.0]),
    )
    tckd = 0.75 * math.log(1.5) + 0.25 * math.log(0.5)
    nckd = 2 / 3 * math.log(4 / 3) + 1 / 3 * math.log(2 / 3)
    assert dkd_loss(student, teacher, targets, 1.0, 1.0, 1.0).item() == pytest.approx(tckd + nckd)
    assert dkd_loss(student, teacher, targets, 2.0, 3.0, 1.0).item() == pytest.approx(
        2 * tckd + 3 * nckd
    )
    # T = 2 divides the logits by 2 and multiplies by 4: the non-targets become (√2 : 1).
    q = math.sqrt(2) / (1 + math.sqrt(2))
    nckd_t2 = q * math.log(2 * q) + (1 - q) * math.log(2 * (1 - q))
    p = 1 / (1 + 3**-0.5)  # σ(ln 3 / 2)
    tckd_t2 = p * math.log(2 * p) + (1 - p) * math.log(2 * (1 - p))
    assert dkd_loss(student, teacher, targets, 1.0, 1.0, 2.0).item() == pytest.approx(
        4 * (tckd_t2 + nckd_t2)
    )


def test_dkd_loss_rows_without_targets_or_without_non_targets_keep_only_the_part_they_have():
    student, teacher = (
        tensor([0.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
        tensor([LN3, LN2, 0.0], [LN3, LN2, 0.0]),
    )
    targets = tensor([0.0, 0.0, 0.0], [1.0, 1.0, 1.0])
    binary = [q * math.log(q / 0.5) + (1 - q) * math.log((1 - q) / 0.5) for q in (0.75, 2 / 3, 0.5)]
    softmax = torch.softmax(teacher[0], 0).tolist()
    nckd_row_0 = sum(q * math.log(q * 3) for q in softmax)  # student softmax is uniform 1/3
    student.requires_grad_()
    loss = dkd_loss(student, teacher, targets, 1.0, 1.0, 1.0)
    assert loss.item() == pytest.approx((sum(binary) + nckd_row_0) / 2)
    loss.backward()
    assert torch.isfinite(student.grad).all()


def test_dkd_loss_is_zero_when_student_equals_teacher():
    torch.manual_seed(4)
    logits = torch.randn(6, 8)
    targets = (torch.rand(6, 8) > 0.7).float()
    assert dkd_loss(logits, logits, targets).item() == pytest.approx(0.0, abs=1e-6)


def test_mld_ramp_rises_linearly_from_0_at_epoch_0_to_1_at_the_end_of_warm_up():
    assert [mld_ramp(e, 4) for e in range(6)] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
    assert mld_ramp(0, 0) == 1.0


def test_distillation_loss_is_focal_plus_ramped_mld():
    student, teacher, targets = tensor([0.0, LN3]), tensor([LN4, 0.0]), tensor([1.0, 0.0])
    focal = (0.25 * 0.25 * LN2 + 0.75 * 0.5625 * LN4) / 2
    mld = mld_loss(student, teacher).item()
    assert distillation_loss(student, teacher, targets, 0, 2).item() == pytest.approx(focal)
    assert distillation_loss(
        student, teacher, targets, 1, 2, focal_weight=2.0
    ).item() == pytest.approx(2 * focal + 0.5 * mld)
