"""Rewrites a trained network into plain layers before export.

NFNets (the teacher, ``eca_nfnet_l0``) have no batch norm; instead each convolution standardises
its own weight on every forward pass (timm ``ScaledStdConv2d``). For inference that weight is a
constant, so we compute it once and put it in an ordinary ``Conv2d``: the exported graph loses a
``BatchNormalization`` over every weight tensor, and both ONNX Runtime and OpenVINO see the
standard convolution they optimise best.

The standardised weight is exactly what timm's forward computes (timm/layers/std_conv.py): per
output channel ``o``, over the ``fan_in = in/groups * kh * kw`` values of ``W[o]``,

    W'[o] = (W[o] - mean(W[o])) / sqrt(var(W[o]) + eps) * gain[o] * scale

with the biased (population) variance, as ``F.batch_norm(training=True)`` uses, and
``scale = gamma / sqrt(fan_in)`` fixed at construction.
"""

from __future__ import annotations

import torch
from timm.layers import Conv2dSame, ScaledStdConv2d, ScaledStdConv2dSame
from torch import nn

__all__ = ["standardized_weight", "fold_scaled_std_convs", "count_scaled_std_convs"]

_STD_CONV_TYPES = (ScaledStdConv2d, ScaledStdConv2dSame)


@torch.no_grad()
def standardized_weight(conv: ScaledStdConv2d | ScaledStdConv2dSame) -> torch.Tensor:
    """The weight ``[out, in/groups, kh, kw]`` that ``conv``'s forward pass would use.

    Computed in float64 and cast back, so folding itself adds no rounding beyond float32's.
    """
    weight = conv.weight.detach().to(torch.float64)
    flat = weight.reshape(conv.out_channels, -1)
    mean = flat.mean(dim=1, keepdim=True)
    var = flat.var(dim=1, unbiased=False, keepdim=True)
    gain = conv.gain.detach().to(torch.float64).reshape(conv.out_channels, 1)
    folded = (flat - mean) / torch.sqrt(var + conv.eps) * (gain * conv.scale)
    return folded.reshape_as(weight).to(conv.weight.dtype)


def _plain_conv(conv: ScaledStdConv2d | ScaledStdConv2dSame) -> nn.Conv2d:
    # ScaledStdConv2dSame pads at run time when the 'SAME' padding depends on the input size;
    # timm's Conv2dSame (a Conv2d subclass) does the same padding, so the output is unchanged.
    dynamic_same = isinstance(conv, ScaledStdConv2dSame) and conv.same_pad
    cls = Conv2dSame if dynamic_same else nn.Conv2d
    plain = cls(
        conv.in_channels,
        conv.out_channels,
        conv.kernel_size,
        stride=conv.stride,
        padding=0 if dynamic_same else conv.padding,
        dilation=conv.dilation,
        groups=conv.groups,
        bias=conv.bias is not None,
        device=conv.weight.device,
        dtype=conv.weight.dtype,
    )
    with torch.no_grad():
        plain.weight.copy_(standardized_weight(conv))
        if conv.bias is not None:
            plain.bias.copy_(conv.bias)
    plain.train(conv.training)
    return plain


def count_scaled_std_convs(model: nn.Module) -> int:
    """How many ``ScaledStdConv2d``/``ScaledStdConv2dSame`` layers ``model`` contains."""
    return sum(isinstance(m, _STD_CONV_TYPES) for m in model.modules())


def fold_scaled_std_convs(model: nn.Module) -> nn.Module:
    """Replaces every scaled weight-standardised convolution in ``model`` by a plain one, in place.

    Returns ``model`` (or a new ``Conv2d`` when ``model`` itself is such a layer). A model without such layers is returned unchanged. The folded layers are
    frozen copies: training the result further would no longer standardise the weights.
    """
    if isinstance(model, _STD_CONV_TYPES):
        return _plain_conv(model)
    # Collect first: replacing children while iterating named_modules() would skip some.
    targets = [
        (name, module)
        for name, module in model.named_modules()
        if isinstance(module, _STD_CONV_TYPES)
    ]
    for name, conv in targets:
        parent_name, _, child_name = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child_name, _plain_conv(conv))
    left = count_scaled_std_convs(model)
    assert left == 0, f"{left} ScaledStdConv2d layers were not folded"
    return model
