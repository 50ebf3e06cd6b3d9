"""Receptive fields: the recurrences, graphs, gradients (empirical and effective), feature maps."""

import json

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rich.console import Console

import convlens
from convlens import zoo
from convlens.receptive import (
    LayerSpec,
    ReceptiveField,
    effective_field,
    empirical_field,
    feature_maps,
    parse_spec,
    receptive_field,
    spec_to_module,
)


def bbox(mask):
    """((top, bottom), (left, right)) of the True pixels, or ((0, -1), (0, -1)) if none."""
    idx = np.argwhere(mask)
    if idx.size == 0:
        return ((0, -1), (0, -1))
    (t, l), (b, r) = idx.min(0), idx.max(0)
    return ((int(t), int(b)), (int(l), int(r)))


def triple(row):
    return row.size, row.stride, row.padding


# --------------------------------------------------------------------------- layer lists


def test_chapter_two_stacked_2x2_layers_see_3x3():
    rf = receptive_field("conv2,conv2")
    assert rf[0].size == (2, 2) and rf[-1].size == (3, 3)


def test_recurrences_by_hand():
    # conv3 (r 3), conv3:s2:p1 (r 5, S 2, P 1), pool2 (r 7, S 4, P 1), conv3 (r 15, P 1)
    rf = receptive_field("conv3,conv3:s2:p1,pool2,conv3")
    assert [r.size[0] for r in rf] == [3, 5, 7, 15]
    assert [r.stride[0] for r in rf] == [1, 2, 4, 4]
    assert [r.padding[0] for r in rf] == [0, 1, 1, 1]
    assert [r.center[0] for r in rf] == [1, 1, 2, 6]


def test_dilation_enters_size_and_offset():
    # effective kernel d(k-1)+1 = 5: size 5, and "same" padding is d(k-1)//2 = 2, not 1
    row = receptive_field("conv3:d2:psame")[-1]
    assert triple(row) == ((5, 5), (1, 1), (2, 2)) and row.center == (0, 0)
    rf = receptive_field("conv3:s2:p1,conv3:d3:p3")
    assert triple(rf[-1]) == ((3 + 2 * 6, 3 + 2 * 6), (2, 2), (1 + 2 * 3, 1 + 2 * 3))
    assert rf[-1].center == (0, 0)
    assert rf[-1].dilation == (3, 3) and rf[-1].layer_padding == ((3, 3), (3, 3))


def test_non_square_kernels_are_tracked_per_axis():
    rf = receptive_field("conv3x1,conv1x5:d2,pool2x1")
    assert rf[-1].size == (4, 9) and rf[-1].stride == (2, 1)
    assert rf[0].kernel == (3, 1) and rf[1].dilation == (2, 2)
    mask = empirical_field("conv3x1,conv1x5:d2", (1, 1, 12, 12), unit=(2, 1))
    assert bbox(mask) == receptive_field("conv3x1,conv1x5:d2")[-1].box(2, 1) == ((2, 4), (1, 9))


def test_padding_layer_and_asymmetric_pad_module():
    assert triple(receptive_field("pad2,conv3")[-1]) == ((3, 3), (1, 1), (2, 2))
    rf = receptive_field(nn.Sequential(nn.ZeroPad2d((1, 0, 3, 0)), nn.Conv2d(1, 1, 3)))
    assert rf[-1].padding == (3, 1)


def test_transposed_convolution_has_fractional_stride():
    # ConvTranspose2d(k=3, s=2): unit o reads inputs i with (o - 2)/2 <= i <= o/2
    row = receptive_field(nn.ConvTranspose2d(1, 1, 3, 2))[-1]
    assert triple(row) == ((2, 2), (0.5, 0.5), (1, 1))
    assert row.box(4, 3) == ((1, 2), (1, 1))
    net = nn.Sequential(nn.Conv2d(1, 1, 3, 2, 1), nn.ConvTranspose2d(1, 1, 4, 2, 1))
    rf = receptive_field(net, (1, 1, 16, 16))
    assert rf[-1].stride == (1, 1) and rf[-1].shape == (16, 16)
    # The summary is the continuous interval; the walk-back box is exact per unit parity.
    assert rf[-1].size == (6, 6) and rf[-1].padding == (3, 3)
    assert rf[-1].box(5, 5) == ((3, 7), (3, 7)) and rf[-1].box(4, 4) == ((1, 5), (1, 5))
    for unit in [(5, 7), (8, 8), (9, 6), (0, 0), (15, 15)]:
        assert bbox(empirical_field(net, (1, 1, 16, 16), unit=unit)) == rf[-1].box(*unit)


def test_spec_forms_agree():
    specs = [LayerSpec("conv", (3, 3), (2, 2), ((1, 1), (1, 1))), "pool2"]
    a = receptive_field(specs)
    b = receptive_field("conv3:s2:p1,pool2")
    c = receptive_field([nn.Conv2d(1, 1, 3, 2, 1), nn.MaxPool2d(2)])
    d = receptive_field(spec_to_module("conv3:s2:p1,pool2"))
    assert triple(a[-1]) == triple(b[-1]) == triple(c[-1]) == triple(d[-1])


def test_parse_spec_options_and_defaults():
    (c, p, t, q) = parse_spec("conv3x5:s2x1:p1x2:d1x3, maxpool3, tconv4:s2, pad1x2")
    assert (c.kernel, c.stride, c.padding, c.dilation) == (
        (3, 5),
        (2, 1),
        ((1, 1), (2, 2)),
        (1, 3),
    )
    assert p.kind == "pool" and p.stride == (3, 3)  # a pool's stride defaults to its kernel
    assert t.kind == "tconv" and t.stride == (2, 2)
    assert q.kind == "pad" and q.padding == ((1, 1), (2, 2))
    same = parse_spec("conv4:psame")[0]
    assert same.padding == ((1, 2), (1, 2))  # odd extra at the bottom/right, as in the contract


@pytest.mark.parametrize(
    "spec",
    ["", "conv", "conv3,,conv3", "conv3:q2", "conv0", "pool2:s0", "conv3:d0", "pad1:s2",
     "conv3:s2:s2", "relu3", "conv3:ssame", "conv3 x"],
)  # fmt: skip
def test_bad_spec_raises_naming_spec(spec):
    with pytest.raises(ValueError, match="`spec`"):
        receptive_field(spec)


def test_input_size_gives_shapes_and_rejects_too_small():
    rf = receptive_field("conv3,pool2,conv3:d2", input_size=(1, 1, 20, 17))
    assert [r.shape for r in rf] == [(18, 15), (9, 7), (5, 3)]
    assert receptive_field("conv3").rows[0].shape is None
    with pytest.raises(ValueError, match="`input_size`"):
        receptive_field("conv5,conv5", input_size=(1, 1, 6, 6))


@pytest.mark.parametrize("bad", [(1, 1, 0, 4), (4,), "224", (1, 1, 2.5, 4), (True, 2)])
def test_bad_input_size(bad):
    with pytest.raises(ValueError, match="`input_size`"):
        receptive_field("conv3", input_size=bad)


@pytest.mark.parametrize("bad", [42, None, [], [3, 3], {"conv": 3}])
def test_bad_model_type(bad):
    with pytest.raises(TypeError, match="`model_or_layers`"):
        receptive_field(bad)


# --------------------------------------------------------------------------- the result object


def test_result_is_printable_indexable_and_convertible():
    rf = receptive_field("conv3,conv3:s2,pool2", input_size=(1, 1, 32, 32))
    assert isinstance(rf, ReceptiveField) and len(rf) == 3
    assert rf["conv2"] is rf[1] and rf[-1].name == "pool3"
    assert isinstance(rf[1:], ReceptiveField) and len(rf[1:]) == 2
    with pytest.raises(KeyError, match="nope"):
        rf["nope"]
    text = str(rf)
    assert "conv2" in text and "pool3" in text and text.splitlines()[0].startswith("layer")
    dicts = rf.to_dicts()
    assert dicts[-1]["size"] == (7, 7) and dicts[-1]["stride"] == (4, 4)
    assert json.loads(json.dumps(dicts))[1]["name"] == "conv2"
    console = Console(record=True, width=140)
    console.print(rf)
    shown = console.export_text()
    assert "pool3" in shown and "receptive field" in shown
    assert "size=(7, 7)" in repr(rf)


def test_box_clips_to_the_image():
    row = receptive_field("conv5:p2")[-1]
    assert row.box(0, 0) == ((-2, 2), (-2, 2))
    assert row.box(0, 0, (10, 10)) == ((0, 2), (0, 2))
    assert receptive_field("conv3:p5")[-1].box(0, 0, (8, 8)) == ((0, -1), (0, -1))


# --------------------------------------------------------------------------- graphs


class LateBigBranch(nn.Module):
    """``head(small(x)) + big(x)``: hooks fire small, head, big -- a chain would add them up."""

    def __init__(self):
        super().__init__()
        self.small = nn.Conv2d(1, 1, 1)
        self.head = nn.Conv2d(1, 1, 3, padding=1)
        self.big = nn.Conv2d(1, 1, 7, padding=3)

    def forward(self, x):
        return self.head(self.small(x)) + self.big(x)


class Downsample(nn.Module):
    """A ResNet down-sampling unit whose 1x1 stride-2 shortcut runs after the main branch."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 1, 3, 2, 1)
        self.conv2 = nn.Conv2d(1, 1, 3, 1, 1)
        self.shortcut = nn.Conv2d(1, 1, 1, 2)

    def forward(self, x):
        return torch.relu(self.conv2(torch.relu(self.conv1(x))) + self.shortcut(x))


def naive_hook_chain(model, x):
    """What torchscan does: chain every conv layer's recurrence in hook (execution) order."""
    order = []
    hooks = [
        m.register_forward_hook(lambda m, i, o: order.append(m))
        for m in model.modules()
        if isinstance(m, nn.Conv2d)
    ]
    model(x)
    for h in hooks:
        h.remove()
    r, S = 1, 1
    for m in order:
        r, S = r + (m.kernel_size[0] - 1) * m.dilation[0] * S, S * m.stride[0]
    return r, S


@pytest.mark.parametrize("model", [LateBigBranch(), Downsample()], ids=lambda m: type(m).__name__)
def test_graph_is_exact_where_hook_order_chaining_is_wrong(model):
    size = (1, 1, 33, 33)
    naive = naive_hook_chain(model, torch.zeros(size))
    row = receptive_field(model, size)[-1]
    out_h = row.shape[0]
    unit = (out_h // 2, out_h // 2)
    measured = bbox(empirical_field(model, size, unit=unit))
    assert measured == row.box(*unit, (33, 33))
    assert (row.size[0], row.stride[0]) != naive  # and the naive chain disagrees with it
    side = measured[0][1] - measured[0][0] + 1
    assert side == row.size[0]


def test_residual_and_concat_take_the_max_over_paths():
    rf = receptive_field(LateBigBranch())
    assert [r.name for r in rf][-1] == "add" and rf["add"].size == (7, 7)
    assert set(rf["add"].inputs) == {"head", "big"}
    ds = receptive_field(Downsample())
    assert triple(ds[-1]) == ((7, 7), (2, 2), (3, 3))
    incep = receptive_field(zoo.inception_v3(299)[:8])  # up to Mixed_5b
    assert incep[-1].op == "cat" and incep[-1].size == (63, 63)


class Misaligned(nn.Module):
    """An even kernel on one path shifts its centre by half a pixel: the add is misaligned."""

    def __init__(self):
        super().__init__()
        self.pad = nn.ZeroPad2d((0, 1, 0, 1))
        self.conv = nn.Conv2d(1, 1, 2)

    def forward(self, x):
        return self.conv(self.pad(x)) + x


def test_misaligned_graph_raises_naming_the_node():
    with pytest.raises(ValueError, match=r"misaligned graph at node 'add'.*'conv'"):
        receptive_field(Misaligned())


def test_merge_with_different_shapes_raises():
    class Bad(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 1, 3, padding=1)

        def forward(self, x):
            return torch.cat([self.conv(x), x[:, :, :4, :4]], 1)

    with pytest.raises(ValueError, match="indexing"):
        receptive_field(Bad())


def test_stops_cleanly_at_global_pooling_linear_and_flatten():
    net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    rf = receptive_field(nn.Sequential(*net, nn.Linear(8, 2)))
    assert rf[-1].name == "1" and "'2'" in rf.note and "AdaptiveAvgPool2d" in rf.note

    class Functional(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 4, 5)
            self.fc = nn.Linear(4, 2)

        def forward(self, x):
            y = F.max_pool2d(F.relu(self.conv(x)), 2)
            return self.fc(y.mean((2, 3)))

    rf = receptive_field(Functional())
    assert rf[-1].op == "max_pool2d" and rf[-1].size == (6, 6) and "mean" in rf.note
    assert receptive_field("conv3").note is None


def test_batchnorm_activations_dropout_are_transparent():
    net = nn.Sequential(
        nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU6(), nn.Dropout(0.1), nn.GELU()
    )
    rf = receptive_field(net)
    assert len(rf) == 5 and all(r.size == (3, 3) for r in rf)


def test_unsupported_layer_and_untraceable_model_raise():
    with pytest.raises(ValueError, match=r"unsupported operation module Upsample at node '1'"):
        receptive_field(nn.Sequential(nn.Conv2d(1, 1, 3), nn.Upsample(scale_factor=2)))

    class Dynamic(nn.Module):
        def forward(self, x):
            return x if x.sum() > 0 else -x

    with pytest.raises(ValueError, match="cannot trace"):
        receptive_field(Dynamic())


# --------------------------------------------------------------------------- empirical fields

layer_st = st.one_of(
    st.builds(
        lambda k, s, d, p: f"conv{k[0]}x{k[1]}:s{s}:d{d}:p{p}",
        st.tuples(st.integers(1, 4), st.integers(1, 4)),
        st.integers(1, 2),
        st.integers(1, 2),
        st.integers(0, 2),
    ),
    st.builds(
        lambda k, s, d, p: f"tconv{k}:s{s}:d{d}:p{min(p, d * (k - 1))}",
        st.integers(1, 4),
        st.integers(1, 3),
        st.integers(1, 2),
        st.integers(0, 2),
    ),
    st.builds(
        lambda k, s, p: f"pool{k}:s{s}:p{min(p, k // 2)}",
        st.integers(1, 3),
        st.integers(1, 3),
        st.integers(0, 1),
    ),
)


@hsettings(max_examples=50, deadline=None)
@given(layers=st.lists(layer_st, min_size=1, max_size=4), data=st.data())
def test_gradient_field_equals_analytic_field(layers, data):
    spec = ",".join(layers)
    free = receptive_field(spec)[-1]
    H = min(int(free.size[0] + 2 * free.padding[0] + 2 * free.stride[0]) + 1, 60)
    W = min(int(free.size[1] + 2 * free.padding[1] + 2 * free.stride[1]) + 1, 60)
    try:
        rf = receptive_field(spec, (1, 1, H, W))
    except ValueError:
        assume(False)
    row = rf[-1]
    oh, ow = row.shape
    i = data.draw(st.integers(0, oh - 1), label="i")
    j = data.draw(st.integers(0, ow - 1), label="j")
    mask = empirical_field(spec, (1, 1, H, W), unit=(i, j))
    # With shapes known the walk-back box is exact, borders included.
    assert bbox(mask) == row.box(i, j)
    # Away from the borders (and with whole strides) it is Araujo's [x S - P, x S - P + r - 1].
    if "tconv" not in spec and all(
        0 <= lo and hi < n for (lo, hi), n in zip(free.box(i, j), (H, W))
    ):
        assert row.box(i, j) == free.box(i, j)
        start = (i * row.stride[0] - row.padding[0], j * row.stride[1] - row.padding[1])
        assert bbox(mask) == tuple((a, a + r - 1) for a, r in zip(start, row.size))


def test_empirical_field_sees_through_max_pool_and_relu():
    net = nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(3, 2, 3))
    mask = empirical_field(net, (1, 1, 16, 16), unit=(2, 3))
    assert bbox(mask) == receptive_field(net)[-1].box(2, 3) == ((4, 11), (6, 13))
    assert mask[4:12, 6:14].all()  # no holes: every pixel of a dense field is measured


def test_empirical_field_unit_and_layer_parameters():
    net = spec_to_module("conv3,conv3:s2,conv3")
    centre = empirical_field(net, (1, 1, 21, 21))  # output 7x7, centre (3, 3)
    assert bbox(centre) == receptive_field(net)[-1].box(3, 3)
    corner = empirical_field(net, (1, 1, 21, 21), unit=(0, 0))
    assert bbox(corner) == ((0, 8), (0, 8))
    inner = empirical_field(net, (1, 1, 21, 21), unit=(0, 0), layer="conv2")
    assert bbox(inner) == ((0, 4), (0, 4))
    with pytest.raises(ValueError, match="`unit`"):
        empirical_field(net, (1, 1, 21, 21), unit=(7, 0))
    with pytest.raises(ValueError, match="`layer`"):
        empirical_field(net, (1, 1, 21, 21), layer="conv9")
    with pytest.raises(TypeError, match="`model`"):
        empirical_field(42, (1, 1, 21, 21))
    with pytest.raises(ValueError, match="4-D"):
        empirical_field(nn.Sequential(nn.Conv2d(1, 1, 3), nn.Flatten()), (1, 1, 8, 8))


def test_empirical_field_does_not_touch_the_model():
    net = nn.Sequential(nn.Conv2d(1, 1, 3), nn.MaxPool2d(2))
    before = net[0].weight.detach().clone()
    empirical_field(net, (1, 1, 8, 8))
    assert torch.equal(net[0].weight, before) and isinstance(net[1], nn.MaxPool2d)


# --------------------------------------------------------------------------- effective fields


def test_effective_field_is_inside_the_theoretical_field_and_peaks_centrally():
    spec = "conv3,conv3,conv3,conv3,conv3"
    erf = effective_field(spec, (1, 1, 25, 25), samples=24)
    row = receptive_field(spec)[-1]
    (t, b), (l, r) = row.box(7, 7)  # the centre unit of the 15x15 output
    assert erf.max() == 1.0
    inside = np.zeros_like(erf, dtype=bool)
    inside[t : b + 1, l : r + 1] = True
    assert (erf[~inside] == 0).all() and (erf[inside] > 0).all()
    # Luo et al.: the mass concentrates at the centre (Gaussian-like), not uniform over 11x11.
    centre = erf[t + 3 : b - 2, l + 3 : r - 2].sum() / erf.sum()
    assert centre > 25 / 121 * 1.5
    assert erf[12, 12] > erf[t, l]


def test_effective_field_parameters_matter():
    spec = "conv3,conv3"
    a = effective_field(spec, (1, 1, 9, 9), samples=3, seed=0)
    assert np.array_equal(a, effective_field(spec, (1, 1, 9, 9), samples=3, seed=0))
    assert not np.array_equal(a, effective_field(spec, (1, 1, 9, 9), samples=3, seed=1))
    assert not np.array_equal(a, effective_field(spec, (1, 1, 9, 9), samples=5, seed=0))
    moved = effective_field(spec, (1, 1, 9, 9), samples=3, unit=(0, 0))
    assert bbox(moved > 0) == ((0, 4), (0, 4))
    inner = effective_field(spec, (1, 1, 9, 9), samples=3, layer="conv1", unit=(0, 0))
    assert bbox(inner > 0) == ((0, 2), (0, 2))
    with pytest.raises(ValueError, match="`samples`"):
        effective_field(spec, (1, 1, 9, 9), samples=0)


# --------------------------------------------------------------------------- feature maps


def test_feature_maps_equal_the_layer_outputs_and_hooks_are_removed():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(2, 3, 3))
    X = np.random.default_rng(0).random((12, 10))
    maps = feature_maps(net, X)
    assert list(maps) == ["0", "3"]
    x = torch.from_numpy(X).float()[None, None]
    y0 = F.conv2d(x, net[0].weight, net[0].bias)
    y3 = F.conv2d(F.max_pool2d(F.relu(y0), 2), net[3].weight, net[3].bias)
    assert isinstance(maps["0"], np.ndarray)
    np.testing.assert_allclose(maps["0"], y0.detach().numpy(), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(maps["3"], y3.detach().numpy(), rtol=1e-6, atol=1e-6)
    assert all(not m._forward_hooks for m in net.modules())


def test_feature_maps_layers_and_input_forms():
    net = nn.Sequential(nn.Conv2d(3, 2, 3), nn.ReLU(), nn.Conv2d(2, 2, 1))
    img = np.zeros((8, 9, 3), dtype=np.uint8)  # channels last, as images are stored
    maps = feature_maps(net, img, layers=["1"])
    assert list(maps) == ["1"] and maps["1"].shape == (1, 2, 6, 7)
    t = feature_maps(net, torch.zeros(2, 3, 8, 9))
    assert isinstance(t["2"], torch.Tensor) and t["2"].shape == (2, 2, 6, 7)
    with pytest.raises(ValueError, match="`layers`"):
        feature_maps(net, img, layers=["9"])
    with pytest.raises(TypeError, match="`layers`"):
        feature_maps(net, img, layers="0")
    with pytest.raises(ValueError, match="`image`"):
        feature_maps(net, np.zeros((1, 1, 1, 8, 8)))


def test_lazy_public_names():
    assert convlens.receptive_field is receptive_field
    assert convlens.feature_maps is feature_maps


def test_spec_to_module_geometry_and_channels():
    net = spec_to_module("conv3:s2:p1,pad1,pool2,tconv2:s2", channels=3)
    assert net.conv1.in_channels == 3 and net.tconv4.out_channels == 3
    assert net(torch.zeros(1, 3, 16, 16)).shape == (1, 3, 10, 10)
    assert triple(receptive_field(net)[-1]) == triple(
        receptive_field("conv3:s2:p1,pad1,pool2,tconv2:s2")[-1]
    )
    with pytest.raises(ValueError, match="`kind`"):
        LayerSpec("relu")


# --------------------------------------------------------------------------- pictures


def test_plot_feature_maps_grid_and_parameters():
    from convlens.plot.receptive import plot_feature_maps

    maps = {"a": np.random.default_rng(0).normal(size=(1, 5, 6, 6)), "b": np.ones((3, 4, 4))}
    assert len(plot_feature_maps(maps).axes) == 5 + 3
    assert len(plot_feature_maps(maps, max_maps=2).axes) == 2 + 2
    fig = plot_feature_maps(maps, max_maps=1, image=np.zeros((6, 6)), title="T")
    assert len(fig.axes) == 3 and fig.axes[0].get_title() == "input"
    signed = plot_feature_maps({"a": maps["a"][:, :1]}).axes[0].images[0]
    assert signed.get_cmap().name == "RdBu_r" and signed.norm.vmin == -signed.norm.vmax
    with pytest.raises(ValueError, match="`max_maps`"):
        plot_feature_maps(maps, max_maps=0)
    with pytest.raises(ValueError, match="`maps`"):
        plot_feature_maps({})


def test_plot_effective_field_outlines_the_theoretical_box(tmp_path):
    from convlens.plot.receptive import plot_effective_field

    row = receptive_field("conv3,conv3", (1, 1, 31, 31))[-1]  # 27x27 output, centre 13
    erf = effective_field("conv3,conv3", (1, 1, 31, 31), samples=2)
    fig = plot_effective_field(erf, row, tmp_path / "e.png")
    (rect,) = fig.axes[0].patches
    assert (rect.get_x(), rect.get_y(), rect.get_width()) == (12.5, 12.5, 5)
    assert fig.axes[0].get_xlim() == (8.5, 21.5)  # zoomed: the box with a 4-pixel margin
    whole = plot_effective_field(erf, row, unit=(0, 0), zoom=False)
    assert whole.axes[0].get_xlim() == (-0.5, 30.5)
    assert whole.axes[0].patches[0].get_x() == -0.5
    assert (tmp_path / "e.png").stat().st_size > 0
    with pytest.raises(ValueError, match="`erf`"):
        plot_effective_field(erf[0], row)


def test_plot_field_on_image_draws_the_units_box():
    from convlens.plot.receptive import plot_field_on_image

    row = receptive_field("conv5:s2,conv5", (1, 1, 32, 32))[-1]  # 10x10 output
    box, dashed = plot_field_on_image(np.zeros((32, 32)), row).axes[0].patches
    assert (box.get_x(), box.get_y(), box.get_width()) == (7.5, 7.5, 13)  # unit (4, 4)
    box, dashed = plot_field_on_image(np.zeros((32, 32, 3)), row, unit=(0, 0)).axes[0].patches
    assert (box.get_x(), box.get_width()) == (-0.5, 13) and dashed.get_linestyle() == "--"
    with pytest.raises(ValueError, match="`image`"):
        plot_field_on_image(np.zeros(5), row)
