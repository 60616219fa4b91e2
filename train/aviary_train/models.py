"""The network architectures, built by timm from scratch for one-channel spectrogram input.

Every model maps ``[batch, 1, n_mels, n_frames]`` (a per-window normalised spectrogram, mel band 0
lowest, see docs/manifest.md) to logits ``[batch, num_classes]``. Weights are never downloaded:
``pretrained=False`` always, because the pipeline must build offline and reproducibly.

Supported architectures:

- ``eca_nfnet_l0``: the teacher. Normaliser-free, so its convolutions standardise their weights
  on every call (timm ``ScaledStdConv2d``); ``convert.fold_scaled_std_convs`` removes that before
  export.
- ``efficientnet_b0``, ``efficientnet_b1``: the main students.
- ``mobilenetv3_large_100``: a cheaper student with a different inductive bias (hard-swish, SE).
  Checked to export to ONNX (opset 17) and OpenVINO IR with matching outputs.

Keyword arguments pass through to timm. Two extra ones, ``channel_multiplier`` and
``depth_multiplier``, shrink an EfficientNet (the committed tiny test models use them); timm's
registered ``efficientnet_b*`` constructors fix those two, so they go to timm's generator instead.
"""

from __future__ import annotations

from typing import Any

import timm
import torch
from timm.models import efficientnet as timm_efficientnet

__all__ = ["SUPPORTED_ARCHITECTURES", "create_model", "count_parameters"]

SUPPORTED_ARCHITECTURES = (
    "eca_nfnet_l0",
    "efficientnet_b0",
    "efficientnet_b1",
    "mobilenetv3_large_100",
)

# The width and depth multipliers of the registered B0/B1 (timm's efficientnet_b0/_b1).
_EFFICIENTNET_SCALING = {"efficientnet_b0": (1.0, 1.0), "efficientnet_b1": (1.0, 1.1)}


def create_model(architecture: str, num_classes: int, **kw: Any) -> torch.nn.Module:
    """A randomly initialised ``architecture`` with one input channel and ``num_classes`` logits.

    ``kw`` goes to timm (``drop_rate``, ``drop_path_rate``, NFNet config fields such as
    ``depths``/``channels`` for a smaller NFNet, ...). Raises ``ValueError`` for an architecture
    not in ``SUPPORTED_ARCHITECTURES``.
    """
    if architecture not in SUPPORTED_ARCHITECTURES:
        raise ValueError(
            f"architecture {architecture!r} is not supported; use one of "
            f"{', '.join(SUPPORTED_ARCHITECTURES)}"
        )
    if num_classes < 1:
        raise ValueError(f"num_classes is {num_classes}; it must be at least 1")
    for forbidden in ("pretrained", "in_chans", "pretrained_cfg_overlay"):
        if forbidden in kw:
            raise ValueError(f"{forbidden} is fixed by create_model (offline, one channel)")

    common = dict(num_classes=num_classes, in_chans=1, **kw)
    if "channel_multiplier" in kw or "depth_multiplier" in kw:
        if architecture not in _EFFICIENTNET_SCALING:
            raise ValueError("channel_multiplier/depth_multiplier apply only to efficientnet_b*")
        default_channels, default_depth = _EFFICIENTNET_SCALING[architecture]
        common.setdefault("channel_multiplier", default_channels)
        common.setdefault("depth_multiplier", default_depth)
        # exportable=True is what timm.create_model would set; keep activations ONNX-friendly.
        with timm.layers.set_layer_config(exportable=True):
            return timm_efficientnet._gen_efficientnet(architecture, pretrained=False, **common)
    # exportable=True keeps timm from choosing layer variants that do not trace to ONNX.
    return timm.create_model(architecture, pretrained=False, exportable=True, **common)


def count_parameters(model: torch.nn.Module) -> int:
    """Number of trainable and frozen parameters."""
    return sum(p.numel() for p in model.parameters())
