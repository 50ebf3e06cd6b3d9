"""Reference architectures, built from ``torch.nn`` exactly as TF-Slim defines them.

These are the networks behind the published receptive-field table of Araujo, Norris & Sim
(Distill 2019; google-research/receptive_field, ``RECEPTIVE_FIELD_TABLE.md``), which were
computed from the TF-Slim model definitions (tensorflow/models, ``research/slim/nets``). To
reproduce those numbers the geometry must match Slim's, including two conventions that
differ from the usual PyTorch models:

- **TF "SAME" padding** depends on the input size: a layer pads
  ``max((ceil(n/s) - 1) s + d(k-1) + 1 - n, 0)`` in total, the smaller half at the top/left.
  For stride 2 on an even size this is asymmetric (often 0 on top). Each builder therefore
  takes ``input_size`` and inserts explicit ``ZeroPad2d`` layers (``-inf`` padding before max
  pools) where the padding is asymmetric, so the model is exact for that resolution.
- **ResNet v1 in Slim** puts the stride in the *last* unit of each block (and uses
  ``conv2d_same``: explicit symmetric padding ``(k-1)//2`` then VALID), unlike the paper.

Each network is an ``nn.Sequential`` whose children are Slim's end-points, so ``net[:i + 1]``
is the network up to end-point ``i``. Convolutions carry batch norm and ReLU where Slim's
arg scopes put them; channel counts are Slim's. No classifier heads: the tables stop at the
last spatial end-point.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import torch
import torch.nn as nn

from ._checks import Pair

__all__ = [
    "alexnet_v2",
    "edge_stack",
    "inception_v3",
    "mobilenet_v1",
    "resnet_v1_50",
    "tf_same_pads",
    "vgg_16",
]


def tf_same_pads(n: int, k: int, s: int, d: int = 1) -> tuple[int, int]:
    """TensorFlow's "SAME" padding ``(before, after)`` for one axis of size ``n``.

    Examples
    --------
    >>> tf_same_pads(224, 3, 2), tf_same_pads(321, 3, 2), tf_same_pads(56, 3, 1)
    ((0, 1), (1, 1), (1, 1))
    """
    total = max((math.ceil(n / s) - 1) * s + d * (k - 1) + 1 - n, 0)
    return total // 2, total - total // 2


def _p(v: int | Pair) -> Pair:
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


class _Builder:
    """Tracks the spatial size while layers are added, to place TF "SAME" padding exactly."""

    def __init__(self, size: int | Pair) -> None:
        self.n = _p(size)

    def _pads(self, k: Pair, s: Pair, padding: str) -> tuple[Pair, Pair]:
        if padding == "VALID":
            return (0, 0), (0, 0)
        if padding == "EXPLICIT":  # slim's conv2d_same for stride > 1
            return tuple(((q - 1) // 2, (q - 1) - (q - 1) // 2) for q in k)  # type: ignore
        return tuple(tf_same_pads(self.n[a], k[a], s[a]) for a in range(2))  # type: ignore

    def _advance(self, k: Pair, s: Pair, pads: tuple[Pair, Pair]) -> None:
        self.n = tuple(  # type: ignore[assignment]
            (self.n[a] + sum(pads[a]) - k[a]) // s[a] + 1 for a in range(2)
        )

    def conv(
        self,
        c_in: int,
        c_out: int,
        k: int | Pair,
        s: int = 1,
        padding: str = "SAME",
        *,
        bn: bool = True,
        act: type[nn.Module] | None = nn.ReLU,
        groups: int = 1,
    ) -> nn.Sequential:
        k2, s2 = _p(k), _p(s)
        if padding == "SAME" and s == 1:
            padding = "SAME1"  # stride 1: size-independent, symmetric for odd kernels
        pads = self._pads(k2, s2, "SAME" if padding == "SAME1" else padding)
        layers: list[nn.Module] = []
        sym = all(a == b for a, b in pads)
        if not sym:
            layers.append(nn.ZeroPad2d((pads[1][0], pads[1][1], pads[0][0], pads[0][1])))
        p = (pads[0][0], pads[1][0]) if sym else (0, 0)
        layers.append(nn.Conv2d(c_in, c_out, k2, s2, p, groups=groups, bias=not bn))
        if bn:
            layers.append(nn.BatchNorm2d(c_out))
        if act is not None:
            layers.append(act())
        self._advance(k2, s2, pads)
        return nn.Sequential(*layers)

    def pool(self, k: int, s: int, padding: str = "VALID", kind: str = "max") -> nn.Module:
        k2, s2 = _p(k), _p(s)
        pads = self._pads(k2, s2, padding)
        self._advance(k2, s2, pads)
        sym = all(a == b for a, b in pads)
        p = (pads[0][0], pads[1][0]) if sym else (0, 0)
        if kind == "avg":  # TF excludes the padding from the average
            pool: nn.Module = nn.AvgPool2d(k2, s2, p, count_include_pad=False)
        else:
            pool = nn.MaxPool2d(k2, s2, p)
        if sym:
            return pool
        fill = (pads[1][0], pads[1][1], pads[0][0], pads[0][1])
        return nn.Sequential(nn.ConstantPad2d(fill, -math.inf), pool)


def alexnet_v2(input_size: int | Pair = 224) -> nn.Sequential:
    """AlexNet v2 (Slim ``alexnet_v2``), conv1 to pool5: published RF 195, stride 32, pad 64.

    Examples
    --------
    >>> list(alexnet_v2())[-1]
    MaxPool2d(kernel_size=(3, 3), stride=(2, 2), padding=(0, 0), dilation=1, ceil_mode=False)
    """
    b = _Builder(input_size)
    eps = OrderedDict()
    eps["conv1"] = b.conv(3, 64, 11, 4, "VALID", bn=False)
    eps["pool1"] = b.pool(3, 2)
    eps["conv2"] = b.conv(64, 192, 5, bn=False)
    eps["pool2"] = b.pool(3, 2)
    eps["conv3"] = b.conv(192, 384, 3, bn=False)
    eps["conv4"] = b.conv(384, 384, 3, bn=False)
    eps["conv5"] = b.conv(384, 256, 3, bn=False)
    eps["pool5"] = b.pool(3, 2)
    return nn.Sequential(eps)


def vgg_16(input_size: int | Pair = 224) -> nn.Sequential:
    """VGG-16 (Slim ``vgg_16``), conv1_1 to pool5: published RF 212, stride 32, pad 90.

    End-points are named ``conv1_1`` ... ``conv5_3`` and ``pool1`` ... ``pool5``.

    Examples
    --------
    >>> len(vgg_16())
    18
    """
    b = _Builder(input_size)
    eps: OrderedDict[str, nn.Module] = OrderedDict()
    c_in = 3
    for block, (reps, c) in enumerate([(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)], 1):
        for r in range(1, reps + 1):
            eps[f"conv{block}_{r}"] = b.conv(c_in, c, 3, bn=False)
            c_in = c
        eps[f"pool{block}"] = b.pool(2, 2)
    return nn.Sequential(eps)


def mobilenet_v1(input_size: int | Pair = 224) -> nn.Sequential:
    """MobileNet v1 (Slim ``mobilenet_v1_base``): published RF 315, stride 32, pad 126 at 224.

    Depthwise-separable blocks; every convolution is TF "SAME", so the padding (and the
    effective padding) depends on ``input_size``.

    Examples
    --------
    >>> list(mobilenet_v1())[:3]  # doctest: +ELLIPSIS
    [Sequential(...), Sequential(...), Sequential(...)]
    """
    b = _Builder(input_size)
    eps: OrderedDict[str, nn.Module] = OrderedDict()
    eps["Conv2d_0"] = b.conv(3, 32, 3, 2, act=nn.ReLU6)
    blocks = [(1, 64), (2, 128), (1, 128), (2, 256), (1, 256), (2, 512)]
    blocks += [(1, 512)] * 5 + [(2, 1024), (1, 1024)]
    c_in = 32
    for i, (s, c) in enumerate(blocks, 1):
        eps[f"Conv2d_{i}_depthwise"] = b.conv(c_in, c_in, 3, s, act=nn.ReLU6, groups=c_in)
        eps[f"Conv2d_{i}_pointwise"] = b.conv(c_in, c, 1, act=nn.ReLU6)
        c_in = c
    return nn.Sequential(eps)


class Bottleneck(nn.Module):
    """Slim's ResNet v1 bottleneck unit: ``relu(shortcut(x) + residual(x))``."""

    def __init__(self, b: _Builder, c_in: int, depth: int, stride: int) -> None:
        super().__init__()
        n_in = b.n
        if c_in == depth:  # slim's subsample: a 1x1 max pool with the stride
            self.shortcut: nn.Module = nn.MaxPool2d(1, stride) if stride > 1 else nn.Identity()
        else:
            self.shortcut = b.conv(c_in, depth, 1, stride, act=None)
        b.n = n_in
        self.residual = nn.Sequential(
            b.conv(c_in, depth // 4, 1),
            b.conv(depth // 4, depth // 4, 3, stride, "EXPLICIT" if stride > 1 else "SAME"),
            b.conv(depth // 4, depth, 1, act=None),
        )
        self.relu = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.relu(self.shortcut(x) + self.residual(x))


def resnet_v1_50(input_size: int | Pair = 224) -> nn.Sequential:
    """ResNet-50 v1 (Slim ``resnet_v1_50``), to block4: published RF 483, stride 32, pad 239.

    As in Slim the stride of a block sits in its *last* unit.

    Examples
    --------
    >>> [name for name, _ in resnet_v1_50().named_children()]
    ['conv1', 'pool1', 'block1', 'block2', 'block3', 'block4']
    """
    b = _Builder(input_size)
    eps: OrderedDict[str, nn.Module] = OrderedDict()
    eps["conv1"] = b.conv(3, 64, 7, 2, "EXPLICIT")
    eps["pool1"] = b.pool(3, 2, "SAME")
    c_in = 64
    for i, (base, units, stride) in enumerate([(64, 3, 2), (128, 4, 2), (256, 6, 2), (512, 3, 1)]):
        seq = []
        for u in range(units):
            seq.append(Bottleneck(b, c_in, base * 4, stride if u == units - 1 else 1))
            c_in = base * 4
        eps[f"block{i + 1}"] = nn.Sequential(*seq)
    return nn.Sequential(eps)


class Branches(nn.Module):
    """Parallel branches whose outputs are concatenated along the channels (Inception)."""

    def __init__(self, *branches: nn.Module) -> None:
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([branch(x) for branch in self.branches], 1)


def _branches(b: _Builder, specs: list) -> Branches:
    """Build branches from ``[(c_out, k, s, padding) | ("max"/"avg", k, s, padding) ...]``."""
    n0, c0 = b.n, specs[0]
    mods, ends = [], []
    for branch in specs[1:]:
        b.n, c, layers = n0, c0, []
        for item in branch:
            if isinstance(item, list):  # a nested split, e.g. Mixed_7b's [1x3 | 3x1]
                n1 = b.n
                layers.append(_branches(b, [c, *item]))
                b.n = n1
                c = sum(sub[-1][0] for sub in item)
                continue
            what, k, s, pad = item
            if what in ("max", "avg"):
                layers.append(b.pool(k, s, pad, what))
            else:
                layers.append(b.conv(c, what, k, s, pad))
                c = what
        mods.append(nn.Sequential(*layers))
        ends.append(b.n)
    b.n = ends[0]
    return Branches(*mods)


def inception_v3(input_size: int | Pair = 299) -> nn.Sequential:
    """Inception v3 (Slim ``inception_v3_base``), to Mixed_7c: published RF 1311, stride 32,
    padding 618.

    Kernel sizes are ``(height, width)``: Slim's ``[1, 7]`` is ``(1, 7)``. Inside the mixed
    blocks every layer is stride-1 "SAME" except the VALID stride-2 reductions (Mixed_6a,
    Mixed_7a), so the field does not depend on ``input_size`` (at least 75).

    Examples
    --------
    >>> inception_v3()[-1]  # doctest: +ELLIPSIS
    Branches(...)
    """
    b = _Builder(input_size)
    eps: OrderedDict[str, nn.Module] = OrderedDict()
    eps["Conv2d_1a_3x3"] = b.conv(3, 32, 3, 2, "VALID")
    eps["Conv2d_2a_3x3"] = b.conv(32, 32, 3, 1, "VALID")
    eps["Conv2d_2b_3x3"] = b.conv(32, 64, 3)
    eps["MaxPool_3a_3x3"] = b.pool(3, 2)
    eps["Conv2d_3b_1x1"] = b.conv(64, 80, 1, 1, "VALID")
    eps["Conv2d_4a_3x3"] = b.conv(80, 192, 3, 1, "VALID")
    eps["MaxPool_5a_3x3"] = b.pool(3, 2)
    S = "SAME"
    c = 192
    for name, pool_c in (("Mixed_5b", 32), ("Mixed_5c", 64), ("Mixed_5d", 64)):
        eps[name] = _branches(
            b,
            [
                c,
                [(64, 1, 1, S)],
                [(48, 1, 1, S), (64, 5, 1, S)],
                [(64, 1, 1, S), (96, 3, 1, S), (96, 3, 1, S)],
                [("avg", 3, 1, S), (pool_c, 1, 1, S)],
            ],
        )
        c = 64 + 64 + 96 + pool_c
    eps["Mixed_6a"] = _branches(
        b,
        [
            c,
            [(384, 3, 2, "VALID")],
            [(64, 1, 1, S), (96, 3, 1, S), (96, 3, 2, "VALID")],
            [("max", 3, 2, "VALID")],
        ],
    )
    c = 384 + 96 + c
    for name, m in (("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160), ("Mixed_6e", 192)):
        eps[name] = _branches(
            b,
            [
                c,
                [(192, 1, 1, S)],
                [(m, 1, 1, S), (m, (1, 7), 1, S), (192, (7, 1), 1, S)],
                [(m, 1, 1, S), (m, (7, 1), 1, S), (m, (1, 7), 1, S), (m, (7, 1), 1, S)]
                + [(192, (1, 7), 1, S)],
                [("avg", 3, 1, S), (192, 1, 1, S)],
            ],
        )
        c = 768
    eps["Mixed_7a"] = _branches(
        b,
        [
            c,
            [(192, 1, 1, S), (320, 3, 2, "VALID")],
            [(192, 1, 1, S), (192, (1, 7), 1, S), (192, (7, 1), 1, S), (192, 3, 2, "VALID")],
            [("max", 3, 2, "VALID")],
        ],
    )
    c = 320 + 192 + c
    for name in ("Mixed_7b", "Mixed_7c"):
        split = [[(384, (1, 3), 1, S)], [(384, (3, 1), 1, S)]]
        eps[name] = _branches(
            b,
            [
                c,
                [(320, 1, 1, S)],
                [(384, 1, 1, S), split],
                [(448, 1, 1, S), (384, 3, 1, S), split],
                [("avg", 3, 1, S), (192, 1, 1, S)],
            ],
        )
        c = 320 + 768 + 768 + 192
    return nn.Sequential(eps)


def edge_stack(seed: int = 0) -> nn.Sequential:
    """The default model of ``convlens features``: fixed edge detectors, then random filters.

    Layer ``edges`` holds four fixed 3x3 kernels on a grey image: Sobel x, Sobel y, the
    Laplacian, and the chapter's ``[1, -1]`` (zero-padded to 3x3); then ReLU and a 2x2 max
    pool; layer ``mix`` holds 8 random 3x3 filters over those maps (seeded with ``seed``),
    then ReLU. All convolutions use padding 1, so maps keep the image's size per stage.

    Examples
    --------
    >>> net = edge_stack()
    >>> net.edges.weight[0, 0].detach()
    tensor([[-1.,  0.,  1.],
            [-2.,  0.,  2.],
            [-1.,  0.,  1.]])
    """
    sobel = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    lap = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    step = torch.zeros(3, 3)
    step[1, 1:] = torch.tensor([1.0, -1.0])
    edges = nn.Conv2d(1, 4, 3, padding=1, bias=False)
    mix = nn.Conv2d(4, 8, 3, padding=1, bias=False)
    with torch.no_grad():
        edges.weight.copy_(torch.stack([sobel, sobel.T, lap, step])[:, None])
        gen = torch.Generator().manual_seed(seed)
        mix.weight.copy_(torch.randn(8, 4, 3, 3, generator=gen) / 6.0)
    layers = OrderedDict(
        [("edges", edges), ("relu1", nn.ReLU()), ("pool", nn.MaxPool2d(2)), ("mix", mix)]
    )
    layers["relu2"] = nn.ReLU()
    return nn.Sequential(layers)
