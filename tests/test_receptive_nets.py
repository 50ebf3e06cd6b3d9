"""Published receptive fields of standard networks, reproduced from torch.nn builds.

Reference: A. Araujo, W. Norris, J. Sim, "Computing Receptive Fields of Convolutional Neural
Networks", Distill, 2019 (doi:10.23915/distill.00021). The per-end-point numbers below are
copied from the table the paper's library publishes, google-research/receptive_field,
``receptive_field/RECEPTIVE_FIELD_TABLE.md`` (columns: end-point, RF, effective stride,
effective padding), which was computed from the TF-Slim model definitions. The summary table
in that repository's README gives the last row of each network: alexnet_v2 195/32/64,
vgg_16 212/32/90, inception_v3 1311/32/618, mobilenet_v1 315/32/126, resnet_v1_50 483/32/239.
"""

import pytest
import torch

from convlens import receptive_field, zoo

# (end-point, RF size, effective stride, effective padding), resolution 224 unless noted.
ALEXNET_V2 = [
    ("conv1", 11, 4, 0),
    ("pool1", 19, 8, 0),
    ("conv2", 51, 8, 16),
    ("conv3", 99, 16, 32),
    ("conv4", 131, 16, 48),
    ("conv5", 163, 16, 64),
    ("pool5", 195, 32, 64),
]
VGG_16 = [
    ("conv1_1", 3, 1, 1),
    ("pool1", 6, 2, 2),
    ("conv2_1", 10, 2, 4),
    ("pool2", 16, 4, 6),
    ("conv3_1", 24, 4, 10),
    ("conv3_2", 32, 4, 14),
    ("pool3", 44, 8, 18),
    ("conv4_1", 60, 8, 26),
    ("conv4_2", 76, 8, 34),
    ("pool4", 100, 16, 42),
    ("conv5_1", 132, 16, 58),
    ("conv5_2", 164, 16, 74),
    ("pool5", 212, 32, 90),
]
RESNET_V1_50 = {
    224: [("block1", 35, 8, 15), ("block2", 99, 16, 47), ("block3", 291, 32, 143)]
    + [("block4", 483, 32, 239)],
    321: [("block1", 35, 8, 17), ("block2", 99, 16, 49), ("block3", 291, 32, 145)]
    + [("block4", 483, 32, 241)],
}
_MOBILENET_RF = [3, 7, 11, 19, 27, 43, 59, 91, 123, 155, 187, 219, 251, 315]
_MOBILENET_STRIDE = [2, 2, 4, 4, 8, 8, 16, 16, 16, 16, 16, 16, 32, 32]
_MOBILENET_PAD = {
    224: [0, 2, 2, 6, 6, 14, 14, 30, 46, 62, 78, 94, 94, 126],
    321: [1, 3, 5, 9, 13, 21, 29, 45, 61, 77, 93, 109, 125, 157],
}
MOBILENET_V1 = {
    size: [
        ("Conv2d_0" if i == 0 else f"Conv2d_{i}_pointwise", r, s, p)
        for i, (r, s, p) in enumerate(zip(_MOBILENET_RF, _MOBILENET_STRIDE, pads))
    ]
    for size, pads in _MOBILENET_PAD.items()
}
INCEPTION_V3 = [
    ("Conv2d_1a_3x3", 3, 2, 0),
    ("Conv2d_2a_3x3", 7, 2, 0),
    ("Conv2d_2b_3x3", 11, 2, 2),
    ("MaxPool_3a_3x3", 15, 4, 2),
    ("Conv2d_3b_1x1", 15, 4, 2),
    ("Conv2d_4a_3x3", 23, 4, 2),
    ("MaxPool_5a_3x3", 31, 8, 2),
    ("Mixed_5b", 63, 8, 18),
    ("Mixed_5c", 95, 8, 34),
    ("Mixed_5d", 127, 8, 50),
    ("Mixed_6a", 159, 16, 58),
    ("Mixed_6b", 351, 16, 154),
    ("Mixed_6c", 543, 16, 250),
    ("Mixed_6d", 735, 16, 346),
    ("Mixed_6e", 927, 16, 442),
    ("Mixed_7a", 1055, 32, 490),
    ("Mixed_7b", 1183, 32, 554),
    ("Mixed_7c", 1311, 32, 618),
]

CASES = [
    ("alexnet_v2", zoo.alexnet_v2, 224, ALEXNET_V2),
    ("vgg_16", zoo.vgg_16, 224, VGG_16),
    ("resnet_v1_50@224", zoo.resnet_v1_50, 224, RESNET_V1_50[224]),
    ("resnet_v1_50@321", zoo.resnet_v1_50, 321, RESNET_V1_50[321]),
    ("mobilenet_v1@224", zoo.mobilenet_v1, 224, MOBILENET_V1[224]),
    ("mobilenet_v1@321", zoo.mobilenet_v1, 321, MOBILENET_V1[321]),
    ("inception_v3@224", zoo.inception_v3, 224, INCEPTION_V3),
    ("inception_v3@321", zoo.inception_v3, 321, INCEPTION_V3),
]


def endpoint_fields(net, size):
    """The field at each end-point: the last row of the network cut after that end-point."""
    names = [name for name, _ in net.named_children()]
    return {
        name: receptive_field(net[: i + 1], (1, 3, size, size))[-1] for i, name in enumerate(names)
    }


@pytest.mark.parametrize(("label", "build", "size", "table"), CASES, ids=[c[0] for c in CASES])
def test_published_table(label, build, size, table):
    fields = endpoint_fields(build(size), size)
    got = [(n, fields[n].size, fields[n].stride, fields[n].padding) for n, *_ in table]
    want = [(n, (r, r), (s, s), (p, p)) for n, r, s, p in table]
    assert got == want


def test_whole_network_trace_ends_at_the_published_endpoint():
    # One trace of the full graph (not per end-point): the last row is the last end-point.
    rf = receptive_field(zoo.inception_v3(299))
    assert (rf[-1].size, rf[-1].stride, rf[-1].padding) == ((1311, 1311), (32, 32), (618, 618))
    assert rf[-1].name.startswith("Mixed_7c")


def test_nets_are_aligned_so_the_centre_formula_holds():
    # README of google-research/receptive_field: centre = -P + x S + (r - 1) / 2.
    row = receptive_field(zoo.resnet_v1_50(224))[-1]
    assert row.center == (-239 + (483 - 1) / 2,) * 2


@pytest.mark.parametrize("build,size", [(zoo.mobilenet_v1, 321), (zoo.resnet_v1_50, 224)])
def test_shapes_match_a_real_forward_pass(build, size):
    """`input_size` shapes equal what torch computes, layer by layer (asymmetric TF pads)."""
    net = build(size).eval()
    rf = receptive_field(net, (1, 3, size, size))
    seen = {}
    hooks = [
        m.register_forward_hook(lambda m, i, o, n=n: seen.__setitem__(n, tuple(o.shape[-2:])))
        for n, m in net.named_modules()
        if n in rf.names
    ]
    with torch.no_grad():
        net(torch.zeros(1, 3, size, size))
    for h in hooks:
        h.remove()
    assert len(seen) > 50
    for name, shape in seen.items():
        assert rf[name].shape == shape, name
