"""Receptive fields for the playground: the table, one unit's box, and the field maps.

A network is a layer spec in the grammar of ``convlens rf`` (``spec=conv3,conv3:s2``) or a
name from :mod:`convlens.zoo` (``zoo=vgg_16``), on an input of ``h`` x ``w`` pixels.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

import convlens

ZOO = ("alexnet_v2", "vgg_16", "mobilenet_v1", "resnet_v1_50", "inception_v3")
MAX_SIDE = 1024
DEFAULT_SPEC = "conv3,conv3,pool2,conv3:d2"


def _size(q: dict[str, str]) -> tuple[int, int]:
    out = []
    for name in ("h", "w"):
        text = q.get(name, "128")
        if not text.isdigit() or not 1 <= int(text) <= MAX_SIDE:
            raise ValueError(f"`{name}` must be an integer in 1..{MAX_SIDE}; got {text!r}")
        out.append(int(text))
    return out[0], out[1]


@lru_cache(maxsize=16)
def _model(spec: str, zoo_name: str, h: int, w: int) -> Any:
    if zoo_name:
        if zoo_name not in ZOO:
            raise ValueError(f"`zoo` must be one of {list(ZOO)}; got {zoo_name!r}")
        return getattr(convlens.zoo, zoo_name)((h, w)).eval()
    return spec


@lru_cache(maxsize=16)
def _field(spec: str, zoo_name: str, h: int, w: int) -> Any:
    model = _model(spec, zoo_name, h, w)
    return convlens.receptive_field(model, (1, 3 if zoo_name else 1, h, w))


def _key(q: dict[str, str]) -> tuple[str, str, int, int]:
    h, w = _size(q)
    spec = q.get("spec", DEFAULT_SPEC).strip()
    return spec, q.get("zoo", ""), h, w


def table(q: dict[str, str]) -> dict[str, Any]:
    """Per-layer rows as ``convlens rf`` prints them, and the output shape.

    Examples
    --------
    >>> t = table({"spec": "conv3,conv3", "h": "8", "w": "8"})
    >>> t["rows"][-1]["size"], t["out_shape"]
    ((5, 5), [4, 4])
    """
    spec, zoo_name, h, w = _key(q)
    rf = _field(spec, zoo_name, h, w)
    rows = rf.to_dicts()
    shape = rf[-1].shape
    if shape is None:
        raise ValueError("this network's output size is unknown for this input")
    return {"rows": rows, "out_shape": list(shape), "in_shape": [h, w], "note": rf.note}


def box(q: dict[str, str], i: int, j: int) -> dict[str, Any]:
    """The input box of output unit ``(i, j)``, clipped to the image, inclusive bounds.

    Examples
    --------
    >>> box({"spec": "conv3,conv3:s2", "h": "9", "w": "9"}, 1, 0)["box"]
    [[2, 6], [0, 4]]
    """
    spec, zoo_name, h, w = _key(q)
    rf = _field(spec, zoo_name, h, w)
    oh, ow = rf[-1].shape
    if not (0 <= i < oh and 0 <= j < ow):
        raise ValueError(f"unit ({i}, {j}) is outside the output {oh}x{ow}")
    (t, b), (left, r) = rf[-1].box(i, j, (h, w))
    return {"unit": [i, j], "box": [[t, b], [left, r]]}


def maps(q: dict[str, str], i: int, j: int, samples: int | None = None) -> dict[str, Any]:
    """The empirical field (a mask: non-zero gradient) and the effective field (a heat map).

    The effective field averages ``samples`` random draws: 8 for a layer list, 1 for a zoo
    network (each draw is a forward and backward pass of, say, VGG-16 at 224²).

    Examples
    --------
    >>> m = maps({"spec": "conv3", "h": "5", "w": "5"}, 0, 0, samples=2)
    >>> np.array(m["empirical"]).sum()
    np.int64(9)
    """
    from convlens.receptive import effective_field, empirical_field

    spec, zoo_name, h, w = _key(q)
    oh, ow = _field(spec, zoo_name, h, w)[-1].shape
    if not (0 <= i < oh and 0 <= j < ow):
        raise ValueError(f"unit ({i}, {j}) is outside the output {oh}x{ow}")
    if samples is None:
        samples = 1 if zoo_name else 8
    model = _model(spec, zoo_name, h, w)
    size = (1, 3 if zoo_name else 1, h, w)
    emp = empirical_field(model, size, unit=(i, j))
    erf = effective_field(model, size, unit=(i, j), samples=samples)
    return {
        "unit": [i, j],
        "empirical": emp.astype(np.uint8).tolist(),
        "effective": np.round(erf.astype(float), 4).tolist(),
    }


def picture(q: dict[str, str]) -> np.ndarray:
    """The camera man at the network's input size, ``(1, h, w)`` float32 in [0, 1].

    Examples
    --------
    >>> picture({"h": "32", "w": "48"}).shape
    (1, 32, 48)
    """
    from skimage import data
    from skimage.transform import resize

    h, w = _size(q)
    img = resize(data.camera(), (h, w), anti_aliasing=True)
    return img.astype(np.float32)[None]
