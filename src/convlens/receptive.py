"""Receptive fields and feature maps: analytic, empirical (gradients) and effective (Luo 2016).

The chapter defines the receptive field of an element as every element, in all earlier layers,
that can affect it. For one output unit this is a box in the input; for a whole layer it is
described per axis by three numbers (Araujo, Norris & Sim, "Computing Receptive Fields of
Convolutional Neural Networks", Distill 2019), with layers ``l = 1..L`` of kernel ``k_l``,
stride ``s_l``, left/top padding ``p_l`` and dilation ``d_l``:

- size ``r = 1 + sum_l (d_l (k_l - 1)) prod_{i<l} s_i``;
- effective stride ``S = prod_l s_l``;
- effective padding ``P = sum_l p_l prod_{i<l} s_i``.

Output unit ``x`` then sees the input interval ``[x S - P, x S - P + r - 1]``, whose centre is
``x S - P + (r - 1) / 2``. For graphs (residual adds, concatenated branches) the size is the
largest over the paths, and every path must put the centre of unit 0 at the same place
(the graph is *aligned*); otherwise :func:`receptive_field` raises a ``ValueError`` that names
the node.

A transposed convolution (kernel ``k``, stride ``s``, padding ``p``, dilation ``d``) is a layer
of fractional stride: output unit ``o`` reads the inputs ``i`` with
``(o + p - d(k-1)) / s <= i <= (o + p) / s``, i.e. kernel extent ``d(k-1)/s + 1``, stride
``1/s`` and padding ``(d(k-1) - p)/s``. Sizes, strides and paddings are therefore kept as exact
fractions and shown as ``int`` when whole, ``float`` otherwise; the input pixels are the
integers inside the interval.

Only this module's model-facing functions import torch, so spec strings work without it.
"""

from __future__ import annotations

import copy
import operator
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from ._checks import Pads, Pair, as_pair

if TYPE_CHECKING:  # pragma: no cover
    import torch

Number = int | float
NumPair = tuple[Number, Number]
FPair = tuple[Fraction, Fraction]

__all__ = [
    "FieldRow",
    "LayerSpec",
    "ReceptiveField",
    "effective_field",
    "empirical_field",
    "feature_maps",
    "parse_spec",
    "receptive_field",
    "spec_to_module",
]


# --------------------------------------------------------------------------- layer specs

KINDS = ("conv", "pool", "tconv", "pad")
_TOKEN = re.compile(r"^(conv|tconv|maxpool|avgpool|pool|pad)(\d+)(?:x(\d+))?((?::[^:]*)*)$")
_OPTION = re.compile(r"^([spd])(\d+|same)(?:x(\d+))?$")
SPEC_GRAMMAR = (
    "comma-separated layers: conv<K>, pool<K>, tconv<K> or pad<P>, K as N or HxW, "
    "then options :s<stride> :p<padding>|:psame :d<dilation>, each N or HxW "
    "(e.g. 'conv3,conv3:s2:p1,pool2,conv3x1:d2')"
)


@dataclass(frozen=True)
class LayerSpec:
    """One layer of a layer list: a convolution, pooling, transposed convolution or padding.

    ``padding`` is ``((top, bottom), (left, right))``; ``"same"`` puts ``d(k-1)//2`` on the
    top/left and the rest on the bottom/right. A pool's stride defaults to its kernel.
    """

    kind: str
    kernel: Pair = (1, 1)
    stride: Pair = (1, 1)
    padding: Pads = ((0, 0), (0, 0))
    dilation: Pair = (1, 1)
    name: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"`kind` must be one of {KINDS}; got {self.kind!r}")


def _pair_opt(a: str, b: str | None) -> Pair:
    return (int(a), int(b if b is not None else a))


def parse_spec(spec: str) -> list[LayerSpec]:
    """Parse a layer-list string such as ``"conv3,conv3:s2:p1,pool2,conv3x1:d2"``.

    Grammar: layers separated by commas; each is ``conv<K>``, ``pool<K>`` (also ``maxpool`` /
    ``avgpool``: the field is the same), ``tconv<K>`` (transposed convolution) or ``pad<P>``;
    ``K`` and ``P`` are ``N`` or ``HxW``. Options follow after colons: ``s`` stride, ``p``
    padding (``psame`` for "same"), ``d`` dilation, each ``N`` or ``HxW``. Defaults: stride 1
    (a pool's stride is its kernel), padding 0, dilation 1.

    Raises ``ValueError`` naming the bad layer and the grammar.

    Examples
    --------
    >>> [(l.kind, l.kernel, l.stride) for l in parse_spec("conv3x1:s2, pool2")]
    [('conv', (3, 1), (2, 2)), ('pool', (2, 2), (2, 2))]
    """
    if not isinstance(spec, str):
        raise TypeError(f"`spec` must be a string; got {type(spec).__name__}")
    tokens = [t.strip() for t in spec.split(",")]
    if not spec.strip() or any(not t for t in tokens):
        raise ValueError(f"`spec` has an empty layer: {spec!r}; expected {SPEC_GRAMMAR}")
    layers = []
    for i, tok in enumerate(tokens, 1):
        m = _TOKEN.match(tok)
        if m is None:
            raise ValueError(
                f"`spec` layer {i} {tok!r} is not understood; expected {SPEC_GRAMMAR}"
            )
        kind = {"maxpool": "pool", "avgpool": "pool"}.get(m[1], m[1])
        size = _pair_opt(m[2], m[3])
        if min(size) < (0 if kind == "pad" else 1):
            raise ValueError(f"`spec` layer {i} {tok!r}: the size must be positive")
        opts: dict[str, Any] = {}
        for opt in filter(None, m[4].split(":")):
            o = _OPTION.match(opt)
            if o is None or opt[0] in opts or kind == "pad":
                why = "is repeated" if o and opt[0] in opts else "is not understood"
                if kind == "pad":
                    why = "is not allowed: pad<P> takes no options"
                raise ValueError(
                    f"`spec` layer {i} {tok!r}: option {opt!r} {why}; expected {SPEC_GRAMMAR}"
                )
            if o[2] == "same":
                if o[1] != "p" or o[3] is not None:
                    raise ValueError(f"`spec` layer {i} {tok!r}: only p accepts 'same'")
                opts["p"] = "same"
                continue
            val = _pair_opt(o[2], o[3])
            if o[1] in "sd" and min(val) < 1:
                raise ValueError(f"`spec` layer {i} {tok!r}: option {opt!r} must be >= 1")
            opts[o[1]] = val
        name = f"{kind}{i}"
        if kind == "pad":
            p = size
            layers.append(LayerSpec("pad", padding=((p[0], p[0]), (p[1], p[1])), name=name))
            continue
        d = opts.get("d", (1, 1))
        s = opts.get("s", size if kind == "pool" else (1, 1))
        pad = opts.get("p", (0, 0))
        if pad == "same":
            reach = (d[0] * (size[0] - 1), d[1] * (size[1] - 1))
            pads = tuple((r // 2, r - r // 2) for r in reach)
        else:
            pads = ((pad[0], pad[0]), (pad[1], pad[1]))
        layers.append(LayerSpec(kind, size, s, pads, d, name))  # type: ignore[arg-type]
    return layers


def spec_to_module(layers: str | Sequence[LayerSpec], channels: int = 1) -> torch.nn.Sequential:
    """Build a ``torch.nn.Sequential`` that has exactly the geometry of a layer list.

    Convolutions map ``channels`` to ``channels``; pools are ``MaxPool2d``; padding is
    ``ZeroPad2d``. Useful to measure a spec's field empirically.

    Examples
    --------
    >>> net = spec_to_module("conv3:s2,pool2x1")
    >>> net.conv1
    Conv2d(1, 1, kernel_size=(3, 3), stride=(2, 2))
    >>> net.pool2.kernel_size
    (2, 1)
    """
    import torch.nn as nn

    specs = parse_spec(layers) if isinstance(layers, str) else list(layers)
    c = as_pair(channels, "channels")[0]
    mods: dict[str, nn.Module] = {}
    for i, spec in enumerate(specs):
        (t, b), (l, r) = spec.padding
        name = spec.name or f"{spec.kind}{i + 1}"
        pad = nn.ZeroPad2d((l, r, t, b))
        if spec.kind == "pad":
            mods[name] = pad
            continue
        symmetric = t == b and l == r
        p = (t, l) if symmetric else (0, 0)
        if spec.kind == "conv":
            m: nn.Module = nn.Conv2d(c, c, spec.kernel, spec.stride, p, spec.dilation)
        elif spec.kind == "tconv":
            if not symmetric:
                raise ValueError(f"`layers`: tconv {name} needs symmetric padding")
            m = nn.ConvTranspose2d(c, c, spec.kernel, spec.stride, p, dilation=spec.dilation)
        else:
            m = nn.MaxPool2d(spec.kernel, spec.stride, p, spec.dilation)
        mods[name] = m if symmetric else nn.Sequential(pad, m)
    from collections import OrderedDict

    return nn.Sequential(OrderedDict(mods))


# --------------------------------------------------------------------------- the recurrences


@dataclass(frozen=True, eq=False)
class _State:
    """Per axis (h, w): size r, effective stride S, effective padding P, spatial extent n.

    ``op`` (the layer that made this state) and ``parents`` keep the graph, so that
    :meth:`FieldRow.box` can walk it back exactly for one unit.
    """

    r: FPair
    S: FPair
    P: FPair
    n: tuple[int, int] | None
    op: tuple | None = None
    parents: tuple[_State, ...] = ()

    @property
    def center(self) -> FPair:
        return tuple((r - 1) / 2 - p for r, p in zip(self.r, self.P))  # type: ignore[return-value]


_GLOBAL = object()  # a node whose output depends on the whole input (global pool, Linear...)
_ONE, _ZERO = Fraction(1), Fraction(0)


def _out_size(n: int, pads: tuple[int, int], k: int, s: int, d: int, ceil: bool) -> int:
    span = n + pads[0] + pads[1] - d * (k - 1) - 1
    if span < 0:
        raise ValueError(f"kernel reach {d * (k - 1) + 1} exceeds the padded input size")
    if not ceil:
        return span // s + 1
    out = -(-span // s) + 1
    # PyTorch: the last window must start inside the input or the left padding.
    return out - 1 if (out - 1) * s >= n + pads[0] else out


def _apply(st: _State, kind: str, k: Pair, s: Pair, pads: Pads, d: Pair, extra: Any = None):
    """One layer's update of the recurrences, both axes. ``extra``: ceil_mode / output_padding."""
    r, S, P, n = [], [], [], []
    for ax in range(2):
        reach = d[ax] * (k[ax] - 1)
        if kind == "tconv":
            kk, ss, pp = (
                Fraction(reach, s[ax]) + 1,
                Fraction(1, s[ax]),
                Fraction(reach - pads[ax][0], s[ax]),
            )
        else:
            kk, ss, pp = Fraction(reach + 1), Fraction(s[ax]), Fraction(pads[ax][0])
        r.append(st.r[ax] + (kk - 1) * st.S[ax])
        P.append(st.P[ax] + pp * st.S[ax])
        S.append(st.S[ax] * ss)
        if st.n is not None:
            if kind == "tconv":
                op = extra[ax] if extra else 0
                n.append((st.n[ax] - 1) * s[ax] - sum(pads[ax]) + reach + op + 1)
            else:
                n.append(_out_size(st.n[ax], pads[ax], k[ax], s[ax], d[ax], bool(extra)))
    n_out = tuple(n) if st.n is not None else None
    return _State(tuple(r), tuple(S), tuple(P), n_out, (kind, k, s, pads, d), (st,))


def _num(x: Fraction) -> Number:
    return int(x) if x.denominator == 1 else float(x)


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class FieldRow:
    """One layer of a receptive-field table; every pair is ``(height, width)``.

    ``size``, ``stride`` and ``padding`` are the receptive field of this layer's output in the
    network input; ``kernel``, ``layer_stride``, ``layer_padding`` (``((top, bottom), (left,
    right))``) and ``dilation`` are the layer's own settings (``None`` for merges);
    ``center`` is the centre of output unit ``(0, 0)`` in input coordinates; ``shape`` the
    output's spatial size when ``input_size`` was given.
    """

    name: str
    op: str
    kernel: Pair | None
    layer_stride: NumPair | None
    layer_padding: Pads | None
    dilation: Pair | None
    size: NumPair
    stride: NumPair
    padding: NumPair
    center: NumPair
    shape: Pair | None = None
    inputs: tuple[str, ...] = ()
    _exact: _State | None = field(default=None, repr=False, compare=False)

    def box(self, i: int = 0, j: int = 0, image_shape: Pair | None = None) -> Pads:
        """Input pixels that output unit ``(i, j)`` sees: ``((top, bottom), (left, right))``.

        Bounds are inclusive. The box is found by walking the layers back from the unit with
        exact index sets, so it is exact for every unit, also after transposed convolutions
        (where the ``size`` / ``stride`` / ``padding`` summary is the continuous interval,
        which can be a pixel larger on a side). When the table was computed with
        ``input_size``, each intermediate layer is clipped to the units that exist, which makes
        the box exact at the borders too (a strided layer may never read the last rows; a
        dilated tap may fall in the padding). With ``image_shape`` the box is clipped to the
        image. An empty box is ``((0, -1), (0, -1))``.

        Examples
        --------
        >>> receptive_field("conv3,conv3:s2")[-1].box(1, 0)
        ((2, 6), (0, 4))
        >>> receptive_field("conv3:p1")[-1].box(0, 0, (8, 8))
        ((0, 1), (0, 1))
        """
        if self._exact is None:
            raise ValueError("this row carries no exact state")
        return _walk_box(self._exact, (i, j), image_shape)

    def to_dict(self) -> dict[str, Any]:
        """The row as a plain dict (JSON-friendly: tuples of numbers and strings)."""
        return {k: getattr(self, k) for k in _COLUMNS}


def _walk_box(top: _State, unit: Pair, image_shape: Pair | None) -> Pads:
    """Propagate one unit back to the input as exact per-axis index sets (union at merges).

    Sets rather than intervals keep dilation holes and the stride lattice of transposed
    convolutions exact when a border clips them.
    """
    order: list[_State] = []
    seen: set[int] = set()
    stack: list[tuple[_State, bool]] = [(top, False)]
    while stack:  # iterative post-order DFS: parents before children
        st, done = stack.pop()
        if done:
            order.append(st)
            continue
        if id(st) in seen:
            continue
        seen.add(id(st))
        stack.append((st, True))
        stack.extend((p, False) for p in st.parents if id(p) not in seen)
    want: dict[int, list[np.ndarray]] = {id(top): [np.array([unit[0]]), np.array([unit[1]])]}
    found: list[np.ndarray] | None = None
    for st in reversed(order):
        sets = want.get(id(st))
        if sets is None:
            continue
        limits = [st.n] if st.n is not None else []
        if not st.parents and image_shape is not None:
            limits.append(tuple(image_shape))
        for lim in limits:
            sets = [v[(v >= 0) & (v < lim[ax])] for ax, v in enumerate(sets)]
        if any(v.size == 0 for v in sets):
            continue
        if not st.parents:
            found = sets
            continue
        if st.op is not None:
            kind, k, s, pads, d = st.op
            taps = [np.arange(k[ax]) * d[ax] for ax in range(2)]
            if kind == "tconv":
                src = [(v[:, None] + pads[ax][0] - taps[ax][None, :]).ravel() for ax, v in
                       enumerate(sets)]  # fmt: skip
                sets = [np.unique(v[v % s[ax] == 0] // s[ax]) for ax, v in enumerate(src)]
            else:
                sets = [np.unique((v[:, None] * s[ax] - pads[ax][0] + taps[ax][None, :]).ravel())
                        for ax, v in enumerate(sets)]  # fmt: skip
        for par in st.parents:
            old = want.get(id(par))
            want[id(par)] = sets if old is None else [
                np.union1d(a, b) for a, b in zip(old, sets)
            ]  # fmt: skip
    if found is None:
        return ((0, -1), (0, -1))
    return tuple((int(v.min()), int(v.max())) for v in found)  # type: ignore[return-value]


_COLUMNS = (
    "name",
    "op",
    "kernel",
    "layer_stride",
    "layer_padding",
    "dilation",
    "size",
    "stride",
    "padding",
    "center",
    "shape",
    "inputs",
)


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, tuple) and len(v) == 2 and all(isinstance(u, tuple) for u in v):
        (t, b), (l, r) = v
        return f"{t},{b},{l},{r}" if (t, l) != (b, r) else _fmt((t, l))
    if isinstance(v, tuple) and len(v) == 2:
        a, b = (f"{u:g}" if isinstance(u, float) else str(u) for u in v)
        return a if a == b else f"{a}x{b}"
    return str(v)


class ReceptiveField(Sequence[FieldRow]):
    """A per-layer receptive-field table: a sequence of :class:`FieldRow`.

    Index by position (``result[-1]`` is the last layer) or by layer name. ``note`` says where
    and why the table stopped (global pooling, ``Linear``, flatten), or is ``None``.
    """

    def __init__(self, rows: Sequence[FieldRow], note: str | None = None) -> None:
        self.rows = tuple(rows)
        self.note = note

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            for row in self.rows:
                if row.name == key:
                    return row
            raise KeyError(f"no layer named {key!r}; layers: {[r.name for r in self.rows]}")
        if isinstance(key, slice):
            return ReceptiveField(self.rows[key], self.note)
        return self.rows[key]

    def __iter__(self) -> Iterator[FieldRow]:
        return iter(self.rows)

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.rows]

    def to_dicts(self) -> list[dict[str, Any]]:
        """Every row as a plain dict, in order."""
        return [r.to_dict() for r in self.rows]

    _HEAD = ("layer", "op", "k", "s", "p", "d", "RF", "S", "P")
    LEGEND = (
        "k s p d: the layer's kernel, stride, padding, dilation; RF S P: receptive-field size, "
        "effective stride, effective padding in the input; centre: of output unit 0"
    )

    def _cells(self, row: FieldRow) -> list[str]:
        vals = (row.kernel, row.layer_stride, row.layer_padding, row.dilation, row.size)
        cells = [row.name, row.op, *(_fmt(v) for v in vals)]
        cells += [_fmt(row.stride), _fmt(row.padding), _fmt(row.center)]
        if any(r.shape for r in self.rows):
            cells.append(_fmt(row.shape))
        return cells

    def _header(self) -> list[str]:
        head = [*self._HEAD, "centre"]
        return head + (["out"] if any(r.shape for r in self.rows) else [])

    def __str__(self) -> str:
        table = [self._header()] + [self._cells(r) for r in self.rows]
        widths = [max(len(line[c]) for line in table) for c in range(len(table[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in table]
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)

    def __repr__(self) -> str:
        if not self.rows:
            return f"ReceptiveField(0 layers, note={self.note!r})"
        last = self.rows[-1]
        return (
            f"ReceptiveField({len(self)} layers, last={last.name!r}: size={last.size}, "
            f"stride={last.stride}, padding={last.padding})"
        )

    def __rich__(self):
        from rich.table import Table

        t = Table(title="receptive field", caption=self.note)
        for h in self._header():
            t.add_column(h, justify="left" if h in ("layer", "op") else "right")
        for r in self.rows:
            t.add_row(*self._cells(r))
        return t


# --------------------------------------------------------------------------- public entry


def _check_input_size(input_size: Any) -> tuple[int, int] | None:
    if input_size is None:
        return None
    ok = isinstance(input_size, (tuple, list)) and len(input_size) in (2, 3, 4)
    if ok:
        ok = all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in input_size)
    if not ok:
        raise ValueError(
            f"`input_size` must be (N, C, H, W) (or (H, W)) of positive ints; got {input_size!r}"
        )
    return int(input_size[-2]), int(input_size[-1])


def _start(n: tuple[int, int] | None) -> _State:
    return _State((_ONE, _ONE), (_ONE, _ONE), (_ZERO, _ZERO), n)


def _row(name, op, st: _State, inputs=(), kernel=None, s=None, pads=None, d=None) -> FieldRow:
    return FieldRow(
        name=name,
        op=op,
        kernel=kernel,
        layer_stride=s,
        layer_padding=pads,
        dilation=d,
        size=(_num(st.r[0]), _num(st.r[1])),
        stride=(_num(st.S[0]), _num(st.S[1])),
        padding=(_num(st.P[0]), _num(st.P[1])),
        center=(_num(st.center[0]), _num(st.center[1])),
        shape=st.n,
        inputs=tuple(inputs),
        _exact=st,
    )


def _is_module(obj: Any) -> bool:
    torch = sys.modules.get("torch")  # a torch module cannot exist unless torch is imported
    return torch is not None and isinstance(obj, torch.nn.Module)


def receptive_field(
    model_or_layers: Any, input_size: Sequence[int] | None = None
) -> ReceptiveField:
    """The receptive field of every layer: size, effective stride, effective padding, centre.

    Parameters
    ----------
    model_or_layers : str, list of LayerSpec / str / torch.nn.Module, or torch.nn.Module
        A spec string (grammar in :func:`parse_spec`), a list of layers, or any module; a
        module is traced with ``torch.fx`` and handled as a graph (residual adds,
        concatenated branches), so execution order never matters.
    input_size : (N, C, H, W), optional
        Also accepted as ``(H, W)``. When given, each row also carries its output's spatial
        ``shape``, merges check that their inputs' shapes agree, and :meth:`FieldRow.box`
        clips every layer to the units that exist (exact at the borders).

    Returns
    -------
    ReceptiveField
        One :class:`FieldRow` per layer; ``result[-1]`` is the last. The table stops cleanly at
        global pooling, ``Linear`` or flatten, with a ``note`` saying where.

    Raises
    ------
    ValueError
        For a bad spec, an unsupported layer, or a misaligned graph (naming the node).

    Examples
    --------
    >>> rf = receptive_field("conv3,conv3,pool2,conv3:d2")
    >>> rf[-1].size, rf[-1].stride, rf[-1].padding
    ((14, 14), (2, 2), (0, 0))
    >>> rf[1].size        # the chapter: two stacked 3x3 layers see 5x5
    (5, 5)
    """
    n = _check_input_size(input_size)
    if isinstance(model_or_layers, str):
        return _from_specs(parse_spec(model_or_layers), n)
    if _is_module(model_or_layers):
        return _from_module(model_or_layers, n)
    if isinstance(model_or_layers, Sequence) and len(model_or_layers) > 0:
        items = list(model_or_layers)
        if all(isinstance(x, (LayerSpec, str)) for x in items):
            specs: list[LayerSpec] = []
            for x in items:
                specs.extend(parse_spec(x) if isinstance(x, str) else [x])
            return _from_specs(specs, n)
        if all(_is_module(x) for x in items):
            import torch.nn as nn

            return _from_module(nn.Sequential(*items), n)
    raise TypeError(
        "`model_or_layers` must be a spec string, a non-empty list of LayerSpec/str or of "
        f"torch modules, or a torch.nn.Module; got {type(model_or_layers).__name__}"
    )


def _from_specs(specs: Sequence[LayerSpec], n: tuple[int, int] | None) -> ReceptiveField:
    st, rows, prev = _start(n), [], "input"
    for i, spec in enumerate(specs):
        name = spec.name or f"{spec.kind}{i + 1}"
        if spec.kind == "pad":
            st = _apply(st, "pad", (1, 1), (1, 1), spec.padding, (1, 1))
        else:
            try:
                st = _apply(st, spec.kind, spec.kernel, spec.stride, spec.padding, spec.dilation)
            except ValueError as exc:
                raise ValueError(f"`input_size` too small at layer {name}: {exc}") from None
        rows.append(
            _row(
                name, spec.kind, st, [prev], spec.kernel, spec.stride, spec.padding, spec.dilation
            )
        )
        prev = name
    return ReceptiveField(rows)


# --------------------------------------------------------------------------- torch graphs


def _tpair(v: Any) -> Pair:
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _layer_of(mod: Any) -> tuple[str, Pair, Pair, Pads, Pair, Any] | None:
    """(kind, kernel, stride, pads, dilation, extra) of a spatial torch layer, else None."""
    import torch.nn as nn

    if isinstance(mod, (nn.Conv2d, nn.ConvTranspose2d)):
        k, s, d = _tpair(mod.kernel_size), _tpair(mod.stride), _tpair(mod.dilation)
        if isinstance(mod.padding, str):
            reach = (d[0] * (k[0] - 1), d[1] * (k[1] - 1))
            pads = (
                ((0, 0), (0, 0))
                if mod.padding == "valid"
                else tuple((r // 2, r - r // 2) for r in reach)
            )
        else:
            p = _tpair(mod.padding)
            pads = ((p[0], p[0]), (p[1], p[1]))
        if isinstance(mod, nn.ConvTranspose2d):
            return "tconv", k, s, pads, d, _tpair(mod.output_padding)  # type: ignore[return-value]
        return "conv", k, s, pads, d, None  # type: ignore[return-value]
    if isinstance(mod, (nn.MaxPool2d, nn.AvgPool2d, nn.LPPool2d)):
        k = _tpair(mod.kernel_size)
        s = _tpair(mod.stride if mod.stride is not None else mod.kernel_size)
        p = _tpair(getattr(mod, "padding", 0))
        d = _tpair(getattr(mod, "dilation", 1))
        return "pool", k, s, ((p[0], p[0]), (p[1], p[1])), d, mod.ceil_mode
    pad_types = tuple(
        getattr(nn, t)
        for t in (
            "ZeroPad2d",
            "ConstantPad2d",
            "ReflectionPad2d",
            "ReplicationPad2d",
            "CircularPad2d",
        )
        if hasattr(nn, t)
    )
    if isinstance(mod, pad_types):
        l, r, t, b = mod.padding
        return "pad", (1, 1), (1, 1), ((t, b), (l, r)), (1, 1), None
    return None


def _pointwise_modules() -> tuple[type, ...]:
    import torch.nn as nn

    names = (
        "Identity BatchNorm2d SyncBatchNorm GroupNorm InstanceNorm2d LocalResponseNorm "
        "ReLU ReLU6 LeakyReLU PReLU RReLU ELU SELU CELU GELU SiLU Mish Sigmoid Tanh Hardtanh "
        "Hardswish Hardsigmoid Softplus Softsign Tanhshrink Threshold LogSigmoid "
        "Dropout Dropout2d AlphaDropout FeatureAlphaDropout"
    )
    return tuple(getattr(nn, n) for n in names.split() if hasattr(nn, n))


def _global_modules() -> tuple[type, ...]:
    import torch.nn as nn

    return (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Flatten, nn.Linear, nn.LazyLinear)


_POINTWISE_METHODS = {
    "relu", "relu_", "sigmoid", "sigmoid_", "tanh", "tanh_", "contiguous", "clone", "float",
    "double", "half", "to", "type_as", "detach", "abs", "neg", "exp", "clamp", "clamp_",
    "sqrt", "square", "pow", "softmax", "log_softmax",
}  # fmt: skip
_MERGE_METHODS = {"add", "add_", "sub", "sub_", "mul", "mul_", "div", "div_"}
_GLOBAL_METHODS = {
    "view", "reshape", "flatten", "mean", "sum", "amax", "amin", "max", "min", "squeeze",
    "permute", "transpose", "norm", "std", "var",
}  # fmt: skip
_SCALAR_METHODS = {"size", "dim", "numel"}
_CHANNEL_SPLIT_METHODS = {"chunk", "split", "tensor_split"}


def _function_tables():
    import torch
    import torch.nn.functional as F

    merge = {
        operator.add, operator.sub, operator.mul, operator.truediv, operator.iadd,
        operator.imul, torch.add, torch.sub, torch.mul, torch.div, torch.maximum,
        torch.minimum, torch.where,
    }  # fmt: skip
    pointwise = {
        torch.relu, torch.sigmoid, torch.tanh, torch.abs, torch.neg, torch.exp, torch.clamp,
        operator.neg, F.relu, F.relu6, F.leaky_relu, F.gelu, F.silu, F.elu, F.selu, F.mish,
        F.hardswish, F.hardsigmoid, F.hardtanh, F.softplus, F.dropout, F.dropout2d,
        F.batch_norm, torch.sigmoid_, torch.relu_, F.softmax, F.log_softmax,
    }  # fmt: skip
    glob = {
        torch.flatten, torch.mean, torch.sum, torch.amax, F.adaptive_avg_pool2d,
        F.adaptive_max_pool2d, F.linear,
    }  # fmt: skip
    return merge, pointwise, glob


def _arg(node: Any, i: int, name: str, default: Any) -> Any:
    if len(node.args) > i:
        return node.args[i]
    return node.kwargs.get(name, default)


def _node_name(node: Any) -> str:
    stack = node.meta.get("nn_module_stack") or {}
    if node.op == "call_module":
        return str(node.target)
    scope = next(reversed(stack.values()))[0] if stack else ""
    return f"{scope}.{node.name}" if scope else node.name


def _from_module(model: Any, n: tuple[int, int] | None) -> ReceptiveField:
    import torch
    import torch.fx as fx
    import torch.nn.functional as F

    if type(model).__module__.startswith("torch.nn.modules") and not list(model.children()):
        model = torch.nn.Sequential(model)  # fx traces *into* a root module; keep it a leaf
    try:
        gm = fx.symbolic_trace(model)
    except Exception as exc:  # fx raises many types for untraceable control flow
        raise ValueError(
            f"cannot trace `model_or_layers` ({type(model).__name__}) with torch.fx: "
            f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        ) from exc
    merge_fns, pointwise_fns, global_fns = _function_tables()
    pointwise_mods, global_mods = _pointwise_modules(), _global_modules()
    states: dict[Any, Any] = {}
    rows: list[FieldRow] = []
    note: str | None = None
    seen_input = False

    def parents(node: Any) -> list[Any]:
        found: list[Any] = []
        fx.node.map_arg((node.args, node.kwargs), lambda a: found.append(a) or a)
        return [p for p in found if states.get(p) is not None]

    def unsupported(what: str, node: Any) -> ValueError:
        return ValueError(
            f"unsupported operation {what} at node '{_node_name(node)}' of "
            f"`model_or_layers`: its effect on the receptive field is unknown"
        )

    for node in gm.graph.nodes:
        if node.op == "placeholder":
            states[node] = None if seen_input else _start(n)
            seen_input = True
            continue
        if node.op in ("get_attr", "output"):
            states[node] = None
            continue
        ins = parents(node)
        in_states = [states[p] for p in ins]
        name = _node_name(node)
        if not in_states:
            states[node] = None
            continue
        if any(s is _GLOBAL for s in in_states):
            states[node] = _GLOBAL
            continue
        layer = None
        kind = None  # "layer", "pass", "merge", "global"
        op_name = ""
        if node.op == "call_module":
            mod = gm.get_submodule(node.target)
            op_name = type(mod).__name__
            layer = _layer_of(mod)
            if layer is not None:
                kind = "layer"
            elif isinstance(mod, pointwise_mods):
                kind = "pass"
            elif isinstance(mod, global_mods):
                kind = "global"
            else:
                raise unsupported(f"module {op_name}", node)
        elif node.op == "call_function":
            fn = node.target
            op_name = getattr(fn, "__name__", str(fn))
            if fn in merge_fns:
                kind = "merge"
            elif fn in (torch.cat, torch.concat):
                dim = _arg(node, 1, "dim", 0)
                if dim not in (1, -3):
                    raise unsupported(f"cat along dim {dim}", node)
                kind = "merge"
            elif fn in pointwise_fns:
                kind = "pass"
            elif fn in global_fns:
                kind = "global"
            elif fn in (torch.chunk, torch.split, torch.tensor_split):
                if _arg(node, 2, "dim", 0) not in (1, -3):
                    raise unsupported(f"{op_name} off the channel axis", node)
                kind = "pass"
            elif fn is operator.getitem:
                kind = "pass" if _channel_index(node.args[1]) else None
                if kind is None:
                    raise unsupported(f"indexing {node.args[1]!r}", node)
            elif fn in (F.max_pool2d, F.avg_pool2d):
                k = _tpair(_arg(node, 1, "kernel_size", None))
                s = _tpair(_arg(node, 2, "stride", None) or k)
                p = _tpair(_arg(node, 3, "padding", 0))
                d = _tpair(_arg(node, 4, "dilation", 1)) if fn is F.max_pool2d else (1, 1)
                ceil = _arg(node, 5 if fn is F.max_pool2d else 4, "ceil_mode", False)
                layer = ("pool", k, s, ((p[0], p[0]), (p[1], p[1])), d, ceil)
                kind = "layer"
            elif fn is F.pad:
                pad = tuple(_arg(node, 1, "pad", ()))
                if len(pad) not in (2, 4):
                    raise unsupported(f"F.pad with {pad!r}", node)
                l, r, t, b = (*pad, 0, 0)[:4]
                layer = ("pad", (1, 1), (1, 1), ((t, b), (l, r)), (1, 1), None)
                kind = "layer"
            elif fn is F.conv2d:
                w = _arg(node, 1, "weight", None)
                if getattr(w, "op", None) != "get_attr":
                    raise unsupported("F.conv2d with a computed weight", node)
                k = tuple(_get_attr(gm, w.target).shape[-2:])
                s, d = _tpair(_arg(node, 3, "stride", 1)), _tpair(_arg(node, 5, "dilation", 1))
                p = _arg(node, 4, "padding", 0)
                if isinstance(p, str):
                    reach = (d[0] * (k[0] - 1), d[1] * (k[1] - 1))
                    pads = (
                        ((0, 0), (0, 0))
                        if p == "valid"
                        else tuple((q // 2, q - q // 2) for q in reach)
                    )
                else:
                    p = _tpair(p)
                    pads = ((p[0], p[0]), (p[1], p[1]))
                layer = ("conv", k, s, pads, d, None)
                kind = "layer"
            else:
                raise unsupported(f"function {op_name}", node)
        else:  # call_method
            op_name = str(node.target)
            if op_name in _SCALAR_METHODS:
                states[node] = None
                continue
            if op_name in _POINTWISE_METHODS:
                kind = "pass"
            elif op_name in _MERGE_METHODS:
                kind = "merge"
            elif op_name in _GLOBAL_METHODS:
                kind = "global"
            elif op_name in _CHANNEL_SPLIT_METHODS:
                if _arg(node, 2, "dim", 0) not in (1, -3):
                    raise unsupported(f"{op_name} off the channel axis", node)
                kind = "pass"
            else:
                raise unsupported(f"method .{op_name}()", node)

        if kind == "global":
            states[node] = _GLOBAL
            if note is None:
                note = (
                    f"the table stops at '{name}' ({op_name}): its output depends on the "
                    "whole input"
                )
            continue
        in_names = [_node_name(p) if p.op != "placeholder" else "input" for p in ins]
        if kind == "merge":
            st = _merge(in_states, name, in_names)
            states[node] = st
            rows.append(_row(name, op_name, st, in_names))
            continue
        st = in_states[0]
        if len(in_states) > 1:
            st = _merge(in_states, name, in_names)
        if kind == "layer":
            lk, k, s, pads, d, extra = layer  # type: ignore[misc]
            try:
                st = _apply(st, lk, k, s, pads, d, extra)
            except ValueError as exc:
                raise ValueError(f"`input_size` too small at node '{name}': {exc}") from None
            states[node] = st
            rows.append(_row(name, op_name, st, in_names, k, s, pads, d))
        else:
            states[node] = st
            if node.op == "call_function" and node.target is operator.getitem:
                continue  # plumbing, not a layer
            rows.append(
                _row(name, op_name, st, in_names, (1, 1), (1, 1), ((0, 0), (0, 0)), (1, 1))
            )
    return ReceptiveField(rows, note)


def _get_attr(gm: Any, target: str) -> Any:
    obj = gm
    for part in target.split("."):
        obj = getattr(obj, part)
    return obj


def _channel_index(idx: Any) -> bool:
    """True when ``x[idx]`` leaves the two spatial axes untouched (or indexes a list)."""
    if isinstance(idx, (int, slice)):
        return True
    if isinstance(idx, tuple):
        rest = list(idx[2:])
        while rest and rest[-1] is Ellipsis:
            rest.pop()
        return (
            all(isinstance(i, slice) and i == slice(None) for i in rest)
            and Ellipsis not in idx[:2]
        )
    return False


def _merge(states: list[_State], name: str, in_names: list[str]) -> _State:
    """Araujo et al.'s rule for a node with several inputs: largest field, one centre."""
    first = states[0]
    for st, who in zip(states[1:], in_names[1:]):
        for ax, axis in enumerate(("height", "width")):
            if st.S[ax] != first.S[ax]:
                raise ValueError(
                    f"misaligned graph at node '{name}': inputs '{in_names[0]}' and '{who}' "
                    f"have effective strides {_num(first.S[ax])} and {_num(st.S[ax])} "
                    f"({axis})"
                )
            if st.center[ax] != first.center[ax]:
                raise ValueError(
                    f"misaligned graph at node '{name}': inputs '{in_names[0]}' and '{who}' "
                    f"centre unit 0 at {_num(first.center[ax])} and {_num(st.center[ax])} "
                    f"in the input ({axis}); their fields do not line up"
                )
        if st.n is not None and first.n is not None and st.n != first.n:
            raise ValueError(
                f"node '{name}' merges inputs of spatial sizes {first.n} ('{in_names[0]}') "
                f"and {st.n} ('{who}')"
            )
    r = tuple(max(st.r[ax] for st in states) for ax in range(2))
    c = first.center
    P = tuple((r[ax] - 1) / 2 - c[ax] for ax in range(2))
    return _State(r, first.S, P, first.n, None, tuple(states))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- measurements


def _as_model(model: Any) -> Any:
    if isinstance(model, (str, list, tuple)):
        return spec_to_module(model)
    if not _is_module(model):
        raise TypeError(
            f"`model` must be a torch.nn.Module or a layer spec; got {type(model).__name__}"
        )
    return model


def _target_output(model: Any, x: torch.Tensor, layer: str | None) -> torch.Tensor:
    if layer is None:
        out = model(x)
    else:
        names = dict(model.named_modules())
        if layer not in names:
            raise ValueError(f"`layer` {layer!r} is not a submodule of the model")
        captured: list[Any] = []
        handle = names[layer].register_forward_hook(lambda m, i, o: captured.append(o))
        try:
            model(x)
        finally:
            handle.remove()
        out = captured[0]
    if not hasattr(out, "dim") or out.dim() != 4:
        raise ValueError(
            "the measured output must be a 4-D (N, C, H, W) feature map; got "
            f"{tuple(out.shape) if hasattr(out, 'shape') else type(out).__name__} "
            "(pass `layer` to measure an inner layer)"
        )
    return out


def _unit(out: torch.Tensor, unit: Any) -> Pair:
    H, W = out.shape[-2:]
    if unit is None:
        return (H - 1) // 2, (W - 1) // 2
    u = as_pair(unit, "unit", minimum=0)
    if u[0] >= H or u[1] >= W:
        raise ValueError(f"`unit` must lie inside the {H}x{W} output; got {unit!r}")
    return u


def _replace_max_pools(model: Any) -> None:
    """Swap every ``MaxPool2d`` for an all-ones window sum of the same geometry, in place.

    A max pool sends its gradient only to the arg-max; a window sum sends it to every pixel
    of the window, which is what a dependency measurement needs.
    """
    import torch
    import torch.nn as nn

    class WindowSum(nn.Module):
        def __init__(self, pool: nn.MaxPool2d) -> None:
            super().__init__()
            self.k, self.s = _tpair(pool.kernel_size), _tpair(pool.stride or pool.kernel_size)
            self.p, self.d, self.ceil = _tpair(pool.padding), _tpair(pool.dilation), pool.ceil_mode

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            w = torch.ones(x.shape[1], 1, *self.k, dtype=x.dtype)
            if self.ceil:  # room for the partial last window that ceil_mode keeps
                x = nn.functional.pad(x, (0, self.s[1], 0, self.s[0]))
            return nn.functional.conv2d(x, w, None, self.s, self.p, self.d, x.shape[1])

    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, nn.MaxPool2d):
                setattr(parent, name, WindowSum(child))


def empirical_field(
    model: Any,
    input_size: Sequence[int],
    *,
    unit: Pair | None = None,
    layer: str | None = None,
) -> np.ndarray:
    """The input pixels with a non-zero gradient for one output unit (a boolean mask).

    A copy of the model is made positive so that no gradient vanishes by accident: weights
    set to ``1 / fan_in``, biases to zero, ``MaxPool2d`` replaced by an all-ones window sum
    (a max pool sends its gradient only to the arg-max), eval mode, and an all-ones input.
    The gradient is then non-zero exactly on the pixels that can affect the unit; its bounding
    box equals the analytic field clipped to the image (dilation and strides larger than
    kernels can leave holes inside the box).

    Parameters
    ----------
    model : torch.nn.Module or layer spec
    input_size : (N, C, H, W)
    unit : (i, j), optional
        The output unit; default the centre ``((H'-1)//2, (W'-1)//2)``.
    layer : str, optional
        Measure this submodule's output instead of the model's.

    Examples
    --------
    >>> m = empirical_field("conv3,conv3:s2", (1, 1, 9, 9), unit=(1, 0))
    >>> np.argwhere(m)[[0, -1]].tolist()
    [[2, 0], [6, 4]]
    """
    import torch

    size = _check_input_size(input_size)
    model = copy.deepcopy(_as_model(model)).eval().double()
    _replace_max_pools(model)
    with torch.no_grad():
        for mod in model.modules():
            w = getattr(mod, "weight", None)
            if isinstance(w, torch.nn.Parameter) and w.dim() == 4:
                fan = w.shape[1] * w.shape[2] * w.shape[3]
                if isinstance(mod, torch.nn.ConvTranspose2d):
                    fan = w.shape[0] * w.shape[2] * w.shape[3]
                w.fill_(1.0 / fan)
            elif isinstance(w, torch.nn.Parameter):
                w.abs_().add_(0.1)
            b = getattr(mod, "bias", None)
            if isinstance(b, torch.nn.Parameter):
                b.zero_()
    c = int(input_size[1]) if len(input_size) == 4 else _first_channels(model)
    x = torch.ones(1, c, *size, dtype=torch.float64, requires_grad=True)
    out = _target_output(model, x, layer)
    i, j = _unit(out, unit)
    out[0, :, i, j].sum().backward()
    return (x.grad[0].abs().sum(0) > 0).numpy()


def _first_channels(model: Any) -> int:
    import torch.nn as nn

    for mod in model.modules():
        if isinstance(mod, (nn.Conv2d, nn.ConvTranspose2d)):
            return int(mod.in_channels)
    return 1


def effective_field(
    model: Any,
    input_size: Sequence[int],
    *,
    unit: Pair | None = None,
    layer: str | None = None,
    samples: int = 16,
    seed: int = 0,
) -> np.ndarray:
    """The effective receptive field (Luo et al. 2016): mean ``|d y_unit / d x|``.

    For each of ``samples`` draws the model's parameters are re-initialised (each module's
    ``reset_parameters``) and the input is standard normal; the absolute input gradient of
    the unit (default: the centre) is averaged. The result is ``(H, W)``, scaled to max 1.
    Deep stacks concentrate it near the centre: a Gaussian-like bump much smaller than the
    theoretical field.

    Examples
    --------
    >>> erf = effective_field("conv3,conv3", (1, 1, 9, 9), samples=4)
    >>> erf.shape, float(erf.max()), bool(erf[0, 0] == 0)
    ((9, 9), 1.0, True)
    """
    import torch

    size = _check_input_size(input_size)
    if not isinstance(samples, int) or isinstance(samples, bool) or samples < 1:
        raise ValueError(f"`samples` must be a positive int; got {samples!r}")
    model = copy.deepcopy(_as_model(model)).eval().double()
    c = int(input_size[1]) if len(input_size) == 4 else _first_channels(model)
    total = torch.zeros(size, dtype=torch.float64)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for _ in range(samples):
            for mod in model.modules():
                if hasattr(mod, "reset_parameters") and mod is not model:
                    mod.reset_parameters()
            x = torch.randn(1, c, *size, dtype=torch.float64, requires_grad=True)
            out = _target_output(model, x, layer)
            i, j = _unit(out, unit)
            out[0, :, i, j].sum().backward()
            total += x.grad[0].abs().sum(0)
    peak = float(total.max())
    return (total / peak if peak > 0 else total).numpy()


def feature_maps(
    model: Any,
    image: Any,
    *,
    layers: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Run ``image`` through ``model`` and collect the feature maps of its conv layers.

    Forward hooks record each layer's output and are removed afterwards (also on error).

    Parameters
    ----------
    model : torch.nn.Module
    image : array or tensor
        ``(H, W)``, ``(H, W, C)`` (channels last, as images are stored), ``(C, H, W)`` tensor
        or ``(N, C, H, W)``. NumPy images are converted to float32.
    layers : list of str, optional
        Submodule names to record; default every ``Conv2d`` and ``ConvTranspose2d``.

    Returns
    -------
    dict
        Layer name to ``(N, C, H', W')`` output, in execution order; NumPy arrays for a NumPy
        image, detached tensors for a tensor.

    Examples
    --------
    >>> import torch
    >>> nn = torch.nn
    >>> net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Conv2d(2, 4, 3))
    >>> {k: v.shape for k, v in feature_maps(net, np.zeros((8, 8))).items()}
    {'0': (1, 2, 6, 6), '2': (1, 4, 4, 4)}
    """
    import torch
    import torch.nn as nn

    model = _as_model(model)
    named = dict(model.named_modules())
    if layers is None:
        chosen = [n for n, m in named.items() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    else:
        if isinstance(layers, str) or not all(isinstance(n, str) for n in layers):
            raise TypeError(f"`layers` must be a list of module names; got {layers!r}")
        missing = [n for n in layers if n not in named]
        if missing:
            raise ValueError(f"`layers` names unknown submodules {missing}")
        chosen = list(layers)
    is_tensor = isinstance(image, torch.Tensor)
    x = image if is_tensor else torch.from_numpy(np.ascontiguousarray(image, dtype=np.float32))
    if x.dim() == 2:
        x = x[None, None]
    elif x.dim() == 3:
        x = x[None] if is_tensor else x.permute(2, 0, 1)[None]
    elif x.dim() != 4:
        raise ValueError(f"`image` must be 2-D, 3-D or 4-D; got shape {tuple(x.shape)}")
    x = x.to(next(iter(model.parameters()), torch.empty(0)).dtype)
    maps: dict[str, Any] = {}
    handles = [
        named[n].register_forward_hook(lambda m, i, o, n=n: maps.__setitem__(n, o.detach()))
        for n in chosen
    ]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return maps if is_tensor else {k: v.numpy() for k, v in maps.items()}
