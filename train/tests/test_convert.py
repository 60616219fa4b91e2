import pytest
import torch
from model_inputs import TINY_NFNET, model_inputs, spread_gains, widen_classifier
from timm.layers import Conv2dSame, ScaledStdConv2d

from aviary_train.convert import count_scaled_std_convs, fold_scaled_std_convs, standardized_weight
from aviary_train.models import create_model

FOLD_TOLERANCE = 1e-4  # max abs logit difference, eval mode


def test_standardized_weight_matches_a_hand_computed_example():
    conv = ScaledStdConv2d(1, 2, kernel_size=2, gamma=1.0, eps=1e-6)  # fan-in 4: scale 1/2
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]], [[[0.0, 0.0], [0.0, 8.0]]]]))
        conv.gain.copy_(torch.tensor([2.0, 3.0]).reshape(2, 1, 1, 1))
    # Row 0: mean 2.5, population variance 1.25, times gain 2 * scale 1/2.
    # Row 1: mean 2, population variance 12, times gain 3 * scale 1/2.
    expected = (
        torch.tensor(
            [
                [-1.5, -0.5, 0.5, 1.5],
                [-2.0 * 1.5, -2.0 * 1.5, -2.0 * 1.5, 6.0 * 1.5],
            ]
        )
        / torch.tensor([[1.25 + 1e-6], [12.0 + 1e-6]]).sqrt()
    )
    assert torch.allclose(standardized_weight(conv).reshape(2, 4), expected, atol=1e-6)
    assert expected[0, 3].item() == pytest.approx(1.3416402, abs=1e-6)
    assert expected[1, 3].item() == pytest.approx(2.5980762, abs=1e-6)


@pytest.mark.parametrize("same_padding", [False, True], ids=["static-padding", "tf-same-padding"])
def test_folding_leaves_a_small_nfnets_logits_unchanged_on_real_spectrograms(same_padding):
    torch.manual_seed(0)
    model = create_model("eca_nfnet_l0", 6, same_padding=same_padding, **TINY_NFNET).eval()
    spread_gains(model)
    x = torch.from_numpy(model_inputs(3, 64, 251))
    widen_classifier(model, x)
    n_std_convs = count_scaled_std_convs(model)
    with torch.no_grad():
        before = model(x)
        folded = fold_scaled_std_convs(model)
        after = folded(x)
    assert n_std_convs > 10
    assert count_scaled_std_convs(folded) == 0
    plain = [m for m in folded.modules() if type(m) in (torch.nn.Conv2d, Conv2dSame)]
    assert len(plain) == n_std_convs
    # Dynamic TF 'SAME' padding must survive the fold, or stride-2 layers would change shape.
    assert any(type(m) is Conv2dSame for m in plain) == same_padding
    assert before.abs().max() > 1.0  # a difference bound means little on near-zero logits
    assert (after - before).abs().max().item() <= FOLD_TOLERANCE


def test_folding_the_full_teacher_architecture_keeps_its_logits():
    torch.manual_seed(1)
    model = create_model("eca_nfnet_l0", 4).eval()
    x = torch.from_numpy(model_inputs(2, 64, 251, seed=1))
    widen_classifier(model, x, seed=1)
    with torch.no_grad():
        before = model(x)
        after = fold_scaled_std_convs(model)(x)
    assert count_scaled_std_convs(model) == 0
    assert before.abs().max() > 1.0
    assert (after - before).abs().max().item() <= FOLD_TOLERANCE


def test_folding_a_model_without_std_convs_changes_nothing():
    torch.manual_seed(2)
    model = create_model(
        "efficientnet_b0", 3, channel_multiplier=0.25, depth_multiplier=0.25
    ).eval()
    types_before = [type(m) for m in model.modules()]
    x = torch.from_numpy(model_inputs(2, 32, 64, seed=2))
    with torch.no_grad():
        before = model(x)
        after = fold_scaled_std_convs(model)(x)
    assert [type(m) for m in model.modules()] == types_before
    assert torch.equal(before, after)


def test_a_folded_layer_keeps_its_bias_and_geometry():
    conv = ScaledStdConv2d(4, 8, kernel_size=3, stride=2, groups=2, bias=True)
    with torch.no_grad():
        conv.bias.copy_(torch.arange(8.0))
    plain = fold_scaled_std_convs(torch.nn.Sequential(conv))[0]
    assert type(plain) is torch.nn.Conv2d
    assert (plain.stride, plain.padding, plain.groups) == ((2, 2), (1, 1), 2)
    assert torch.equal(plain.bias, torch.arange(8.0))
    x = torch.randn(1, 4, 9, 9, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        assert (plain(x) - conv(x)).abs().max().item() <= 1e-5
