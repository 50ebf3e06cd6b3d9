"""The playground's web server: a Starlette app over convlens's public API.

Routes (all JSON unless said otherwise; an error is ``{"error": "..."}`` with a 4xx status):

- ``GET /``: the page; ``GET /static/...``: its assets, from this package only.
- ``GET /api/samples``: scikit-image's sample pictures and the chapter's step image.
- ``POST /api/upload``: a PNG, JPEG or TIFF (multipart field ``file``); at most
  :data:`MAX_UPLOAD_BYTES` and :data:`MAX_PIXELS`.
- ``GET /api/image/{id}?channels=grey|rgb``: the image as raw little-endian float32 bytes,
  ``(C, H, W)`` in the ``X-Shape`` header (raw bytes, not JSON lists: a 2048² image is 16 MB
  of floats, which JSON would triple and the browser would parse slowly).
- ``GET /api/bank``, ``POST /api/kernel``: the kernel bank, and one kernel with its rank.
- ``POST /api/filter``: ``corr2d`` / ``conv2d`` of an image; raw float32 bytes, with the
  engine, the planner's reason and the time in headers.
- ``POST /api/inspect``: one output pixel: its window on the padded input, the products and
  their sum.
- ``GET /api/learn``: gradient descent on a kernel, streamed as server-sent events, then the
  exact least-squares answer.
- ``GET /api/rf``, ``/api/rf/box``, ``/api/rf/fields``: receptive fields (table, one unit's
  box, and the empirical and effective fields).
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import io
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import convlens
from convlens import kernels

STATIC = Path(__file__).parent / "static"

MAX_UPLOAD_BYTES = 64 * 1024 * 1024
"""Largest upload accepted (bytes)."""
MAX_PIXELS = 4096 * 4096
"""Largest image accepted (pixels); 4096² leaves room for the 2048² the issue asks for."""
MAX_KERNEL = 31
"""Largest kernel side the editor offers and the server accepts."""
BOUNDARIES = ("constant", "reflect", "symmetric", "edge", "wrap")
PADDINGS = ("valid", "same", "full")
SAMPLES = ("camera", "astronaut", "coins", "moon", "text", "brick", "chelsea", "checkerboard")
ZOO = ("alexnet_v2", "vgg_16", "mobilenet_v1", "resnet_v1_50", "inception_v3")
_STORE_SIZE = 8
PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    # The browser itself refuses any request to another host, and any inline script.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
}


class BadRequest(Exception):
    """Raised by request parsing: becomes a 400 (or ``status``) with the message."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# ----------------------------------------------------------------------------- images


def to_unit_float(arr: np.ndarray) -> np.ndarray:
    """An image as float32 in [0, 1] (integers by their type's range), grey or RGB.

    Alpha is dropped; a grey+alpha image becomes grey.

    Examples
    --------
    >>> to_unit_float(np.array([[0, 255]], np.uint8)).tolist()
    [[0.0, 1.0]]
    """
    a = np.asarray(arr)
    if a.dtype == bool:
        a = a.astype(np.float32)
    elif np.issubdtype(a.dtype, np.integer):
        a = a.astype(np.float32) / np.float32(np.iinfo(a.dtype).max)
    elif not np.issubdtype(a.dtype, np.floating):
        raise BadRequest(f"image pixels must be numbers; got dtype {a.dtype}")
    if a.ndim == 3 and a.shape[2] in (2, 4):
        a = a[..., :-1]
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[..., 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] != 3):
        raise BadRequest(f"image must be grey (H, W) or colour (H, W, 3); got shape {a.shape}")
    return np.ascontiguousarray(a, dtype=np.float32)


def step_image() -> np.ndarray:
    """The chapter's 6x8 image: ones with a black band in columns 2 to 5.

    Examples
    --------
    >>> step_image()[0].tolist()
    [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]
    """
    X = np.ones((6, 8), np.float32)
    X[:, 2:6] = 0
    return X


def decode_image(data: bytes, filename: str = "upload") -> np.ndarray:
    """Decode PNG, JPEG or TIFF bytes; refuse what is not an image or is too large.

    Examples
    --------
    >>> decode_image(b"hello")
    Traceback (most recent call last):
    ...
    convlens.web.server.BadRequest: 'upload' is not a PNG, JPEG or TIFF image ...
    """
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_UPLOAD_BYTES:
        raise BadRequest(_too_large(len(data)), 413)
    try:
        with Image.open(io.BytesIO(data)) as im:
            fmt = im.format
            w, h = im.size
            if fmt not in ("PNG", "JPEG", "TIFF", "MPO"):
                raise BadRequest(f"{filename!r} is a {fmt} image; upload a PNG, JPEG or TIFF")
            if w * h > MAX_PIXELS:
                raise BadRequest(
                    f"{filename!r} is {w}x{h} = {w * h} pixels; the limit is {MAX_PIXELS} "
                    f"(4096x4096)",
                    413,
                )
            if fmt == "TIFF":
                arr = _read_tiff(data)
            else:
                if im.mode in ("P", "PA", "CMYK", "YCbCr", "LAB", "HSV", "1"):
                    im = im.convert(
                        "RGBA" if "A" in im.mode or "transparency" in im.info else "RGB"
                    )
                arr = np.asarray(im)
    except UnidentifiedImageError:
        raise BadRequest(
            f"{filename!r} is not a PNG, JPEG or TIFF image (could not decode {len(data)} bytes)",
            415,
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise BadRequest(f"{filename!r} could not be decoded as an image: {exc}", 415) from None
    return to_unit_float(arr)


def _read_tiff(data: bytes) -> np.ndarray:
    import tifffile

    arr = tifffile.imread(io.BytesIO(data))
    if arr.ndim == 3 and arr.shape[0] in (3, 4) and arr.shape[2] not in (3, 4):
        arr = np.moveaxis(arr, 0, -1)  # planar (C, H, W) TIFF
    return arr


def _too_large(n: int) -> str:
    return (
        f"upload is {n / 2**20:.1f} MiB; the limit is {MAX_UPLOAD_BYTES // 2**20} MiB "
        f"(and {MAX_PIXELS} pixels)"
    )


def load_sample(name: str) -> np.ndarray:
    """A sample picture by name: ``step`` (the chapter's 6x8) or one of :data:`SAMPLES`.

    Examples
    --------
    >>> load_sample("camera").shape, load_sample("step").shape
    ((512, 512), (6, 8))
    """
    if name == "step":
        return step_image()
    if name not in SAMPLES:
        raise BadRequest(f"`sample` must be one of {['step', *SAMPLES]}; got {name!r}", 404)
    from skimage import data

    return to_unit_float(getattr(data, name)())


class ImageStore:
    """Images by id: samples (``sample:NAME``) loaded on demand, uploads by content hash.

    At most a few uploads are kept (least recently used go first), so a long session does
    not grow without bound.

    Examples
    --------
    >>> store = ImageStore(size=1)
    >>> key = store.add(np.zeros((2, 2), np.float32))
    >>> store.get(key).shape, store.get("sample:step").shape
    ((2, 2), (6, 8))
    >>> store.get(key)
    Traceback (most recent call last):
    ...
    convlens.web.server.BadRequest: unknown image 'upload:...'; upload it again or pick a sample
    """

    def __init__(self, size: int = _STORE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, img: np.ndarray) -> str:
        key = "upload:" + hashlib.sha256(img.tobytes()).hexdigest()[:16]
        self._put(key, img)
        return key

    def _put(self, key: str, img: np.ndarray) -> None:
        with self._lock:
            self._items[key] = img
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, key: str) -> np.ndarray:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        if key.startswith("sample:"):
            img = load_sample(key.removeprefix("sample:"))
            self._put(key, img)
            return img
        raise BadRequest(f"unknown image {key!r}; upload it again or pick a sample", 404)


def channels_of(img: np.ndarray, channels: str) -> np.ndarray:
    """``(C, H, W)`` float32: one grey channel, or the three colour channels.

    Examples
    --------
    >>> channels_of(np.zeros((4, 5, 3), np.float32), "grey").shape
    (1, 4, 5)
    """
    if channels == "grey":
        if img.ndim == 3:
            from skimage.color import rgb2gray

            img = rgb2gray(img).astype(np.float32)
        return img[None]
    if channels == "rgb":
        if img.ndim == 2:
            return np.repeat(img[None], 3, axis=0)
        return np.ascontiguousarray(np.moveaxis(img, -1, 0))
    raise BadRequest(f"`channels` must be 'grey' or 'rgb'; got {channels!r}")


# ----------------------------------------------------------------------------- options


def _pair(value: Any, name: str) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise BadRequest(f"`{name}` must be an int or a pair of ints; got {value!r}")
    return int(value[0]), int(value[1])


def parse_kernel(data: Any) -> np.ndarray:
    """A kernel from JSON: a non-empty rectangular list of lists of finite numbers, <= 31².

    Examples
    --------
    >>> parse_kernel([[1, -1]]).tolist()
    [[1.0, -1.0]]
    """
    try:
        K = kernels.as_kernel(data)
    except (TypeError, ValueError) as exc:
        raise BadRequest(str(exc)) from None
    if max(K.shape) > MAX_KERNEL:
        raise BadRequest(
            f"`kernel` may be at most {MAX_KERNEL}x{MAX_KERNEL}; got {K.shape[0]}x{K.shape[1]}"
        )
    return K


def filter_options(body: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``corr2d`` from a request body, checked for type.

    ``padding`` is a name, or ``[[top, bottom], [left, right]]``. Values themselves (a
    stride of 0, a kernel that does not fit) are left to convlens, whose messages say why.

    Examples
    --------
    >>> filter_options({"padding": "same", "stride": 2})["stride"]
    (2, 2)
    """
    padding = body.get("padding", "valid")
    if isinstance(padding, list):
        try:
            padding = tuple(_pair(p, "padding") for p in padding)
        except BadRequest:
            raise BadRequest(
                f"`padding` must be one of {list(PADDINGS)} or [[top, bottom], [left, right]]; "
                f"got {padding!r}"
            ) from None
        if len(padding) != 2:
            raise BadRequest(f"`padding` must have two pairs; got {body['padding']!r}")
    elif not isinstance(padding, str):
        raise BadRequest(f"`padding` must be a name or pairs; got {padding!r}")
    value = body.get("value", 0.0)
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise BadRequest(f"`value` must be a finite number; got {value!r}")
    return dict(
        padding=padding,
        boundary=body.get("boundary", "constant"),
        value=float(value),
        stride=_pair(body.get("stride", 1), "stride"),
        dilation=_pair(body.get("dilation", 1), "dilation"),
    )


def pads(n: int, k: int, padding: Any, axis: int, s: int, d: int) -> tuple[int, int]:
    """The padding ``(before, after)`` on one axis, as the README's contract defines it.

    ``"same"``: ``d (k - 1)`` in all, the odd one after; ``"full"``: ``d (k - 1)`` each side.

    Examples
    --------
    >>> pads(10, 4, "same", 0, 1, 1), pads(10, 3, "full", 1, 1, 2)
    ((1, 2), (4, 4))
    """
    span = d * (k - 1)
    if padding == "valid":
        return (0, 0)
    if padding == "same":
        return (span // 2, span - span // 2)
    if padding == "full":
        return (span, span)
    return tuple(padding[axis])  # type: ignore[return-value]


def inspect_pixel(
    X: np.ndarray, K: np.ndarray, opts: dict[str, Any], i: int, j: int, Y: float
) -> dict[str, Any]:
    """The window of output ``(i, j)`` on the padded input of a 2-D ``X``, and its products.

    Each cell says where its value comes from: an input pixel, or the padding (and, for a
    boundary other than ``constant``, which input pixel the padding copies).

    Parameters
    ----------
    X : ndarray, shape (H, W)
        The input channel.
    K : ndarray, shape (kh, kw)
        The kernel as correlated (already flipped for a convolution).
    opts : dict
        From :func:`filter_options`.
    i, j : int
        The output pixel.
    Y : float
        Its value as ``corr2d`` computed it, returned beside the sum for comparison.

    Returns
    -------
    dict
        ``window``, ``kernel``, ``products``, ``sum``, ``output``, per-cell ``cells``
        (``padded``, ``source``, ``at``: position in the padded input) and
        ``padded_origin`` (the input's top-left corner in the padded input).

    Examples
    --------
    >>> X = np.arange(9.0).reshape(3, 3)
    >>> r = inspect_pixel(X, np.array([[0.0, 1.0], [2.0, 3.0]]), filter_options({}), 0, 0, 19.0)
    >>> r["sum"], r["products"]
    (19.0, [[0.0, 1.0], [6.0, 12.0]])
    """
    H, W = X.shape
    (sh, sw), (dh, dw) = opts["stride"], opts["dilation"]
    padding, boundary = opts["padding"], opts["boundary"]
    top, bottom = pads(H, K.shape[0], padding, 0, sh, dh)
    left, right = pads(W, K.shape[1], padding, 1, sw, dw)
    # Which input row/column each padded row/column copies: numpy.pad on the indices, with
    # the same boundary names as convlens; -1 marks the constant fill.
    if boundary == "constant":
        rows = np.pad(np.arange(H), (top, bottom), constant_values=-1)
        cols = np.pad(np.arange(W), (left, right), constant_values=-1)
    else:
        rows = np.pad(np.arange(H), (top, bottom), mode=boundary)
        cols = np.pad(np.arange(W), (left, right), mode=boundary)
    r_idx = i * sh + np.arange(K.shape[0]) * dh
    c_idx = j * sw + np.arange(K.shape[1]) * dw
    if r_idx[-1] >= rows.size or c_idx[-1] >= cols.size or min(i, j) < 0:
        raise BadRequest(f"output pixel ({i}, {j}) is outside the output")
    cells, window = [], np.empty(K.shape)
    for a, pr in enumerate(r_idx):
        line = []
        for b, pc in enumerate(c_idx):
            src_r, src_c = int(rows[pr]), int(cols[pc])
            padded = not (top <= pr < top + H and left <= pc < left + W)
            v = opts["value"] if src_r < 0 or src_c < 0 else float(X[src_r, src_c])
            window[a, b] = v
            source = None if src_r < 0 or src_c < 0 else [src_r, src_c]
            line.append({"padded": padded, "source": source, "at": [int(pr), int(pc)]})
        cells.append(line)
    products = window * K
    return {
        "i": i,
        "j": j,
        "window": window.tolist(),
        "cells": cells,
        "kernel": K.tolist(),
        "products": products.tolist(),
        "sum": float(products.sum()),
        "output": Y,
        "padded_origin": [top, left],
    }


def kernel_info(K: np.ndarray) -> dict[str, Any]:
    """Rank (of the kernel as a matrix), separability, sum and shape.

    A rank-1 kernel is an outer product ``u v^T``: separable into a column and a row pass.

    Examples
    --------
    >>> kernel_info(np.outer([1, 2, 1], [1, 0, -1]))["separable"]
    True
    """
    rank = int(np.linalg.matrix_rank(K))
    info: dict[str, Any] = {
        "kernel": K.tolist(),
        "shape": list(K.shape),
        "rank": rank,
        "separable": rank == 1,
        "sum": float(K.sum()),
    }
    if rank == 1:
        U, S, Vt = np.linalg.svd(K)
        u, v = U[:, 0] * math.sqrt(S[0]), Vt[0] * math.sqrt(S[0])
        if u[np.argmax(np.abs(u))] < 0:
            u, v = -u, -v
        info["factors"] = {"column": u.tolist(), "row": v.tolist()}
    return info


@lru_cache(maxsize=1)
def bank() -> list[dict[str, Any]]:
    """The kernel bank: each builder's name, parameters with defaults, and summary line.

    Examples
    --------
    >>> [b["name"] for b in bank()][:2]
    ['box', 'derivative']
    """
    out = []
    for name in kernels.names():
        builder = kernels.BANK[name]
        params = [
            {"name": p.name, "default": None if p.default is p.empty else p.default}
            for p in inspect.signature(builder).parameters.values()
        ]
        out.append({"name": name, "params": params, "describe": kernels.describe(name)})
    return out


# ----------------------------------------------------------------------------- routes


def _error(exc: Exception, status: int = 400) -> JSONResponse:
    msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return JSONResponse({"error": msg}, status_code=getattr(exc, "status", status))


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("the request body must be a JSON object") from None
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    return body


def _raw(arr: np.ndarray, headers: dict[str, str]) -> Response:
    a = np.ascontiguousarray(arr, dtype="<f4")
    headers = {"X-Shape": ",".join(map(str, a.shape)), **headers}
    return Response(a.tobytes(), media_type="application/octet-stream", headers=headers)


def _int_param(request: Request, name: str, default: int | None = None) -> int:
    text = request.query_params.get(name)
    if text is None:
        if default is None:
            raise BadRequest(f"missing query parameter `{name}`")
        return default
    try:
        return int(text)
    except ValueError:
        raise BadRequest(f"`{name}` must be an integer; got {text!r}") from None


def create_app() -> Starlette:
    """The playground as an ASGI app (``uvicorn`` runs it; tests drive it with a client).

    Examples
    --------
    >>> from starlette.testclient import TestClient
    >>> with TestClient(create_app()) as client:
    ...     client.get("/api/samples").json()[0]["id"]
    'sample:step'
    """
    store = ImageStore()

    def handler(fn):
        async def wrapped(request: Request) -> Response:
            try:
                return await fn(request)
            except BadRequest as exc:
                return _error(exc)
            except (ValueError, TypeError) as exc:
                return _error(exc, 400)
            except MemoryError as exc:
                return _error(exc, 413)

        return wrapped

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers=PAGE_HEADERS)

    async def samples(request: Request) -> Response:
        items = [{"id": "sample:step", "name": "step (the chapter's 6x8)"}]
        items += [{"id": f"sample:{n}", "name": n} for n in SAMPLES]
        return JSONResponse(items)

    async def upload(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_UPLOAD_BYTES + 65536:
            raise BadRequest(_too_large(int(length)), 413)
        try:
            # The context closes the spooled temporary file python-multipart writes to.
            async with request.form(
                max_files=1, max_fields=4, max_part_size=MAX_UPLOAD_BYTES
            ) as form:
                f = form.get("file")
                if f is None or isinstance(f, str):
                    raise BadRequest("send the image as a multipart form field named `file`")
                data = await f.read(MAX_UPLOAD_BYTES + 1)
                name = f.filename or "upload"
        except BadRequest:
            raise
        except Exception as exc:  # python-multipart's and Starlette's parse errors
            raise BadRequest(f"the upload could not be read: {exc}") from None
        img = decode_image(data, name)
        key = store.add(img)
        return JSONResponse({"id": key, "shape": list(img.shape), "name": name})

    async def image(request: Request) -> Response:
        img = store.get(request.path_params["key"])
        channels = request.query_params.get("channels", "grey")
        return _raw(channels_of(img, channels), {"X-Colour": str(img.ndim == 3).lower()})

    async def bank_route(request: Request) -> Response:
        return JSONResponse(bank())

    async def kernel(request: Request) -> Response:
        body = await _json(request)
        if "spec" in body:
            try:
                K = kernels.from_spec(str(body["spec"]))
            except (TypeError, ValueError) as exc:
                raise BadRequest(str(exc)) from None
            K = parse_kernel(K.tolist())
        else:
            K = parse_kernel(body.get("kernel"))
        return JSONResponse(kernel_info(K))

    def _setup(body: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, dict[str, Any], bool]:
        X = channels_of(store.get(str(body.get("image", ""))), body.get("channels", "grey"))
        # Filtered in float32, as the CLI filters images: half the memory, twice the speed.
        K = parse_kernel(body.get("kernel")).astype(np.float32)
        mode = body.get("mode", "corr")
        if mode not in ("corr", "conv"):
            raise BadRequest(f"`mode` must be 'corr' or 'conv'; got {mode!r}")
        return X, K, filter_options(body), mode == "conv"

    def _run(X: np.ndarray, K: np.ndarray, opts: dict[str, Any], conv: bool):
        # Each channel on its own kernel copy: groups=C keeps one corr2d call for colour.
        C = X.shape[0]
        K4 = np.ascontiguousarray(np.broadcast_to(K, (C, 1, *K.shape)))
        fn = convlens.conv2d if conv else convlens.corr2d
        Xin = X[0] if C == 1 else X
        Kin = K if C == 1 else K4
        extra = {} if C == 1 else {"groups": C}
        p = convlens.plan(Xin, Kin, **opts, **extra)
        t0 = time.perf_counter()
        Y = fn(Xin, Kin, **opts, **extra)
        ms = (time.perf_counter() - t0) * 1e3
        return (Y[None] if C == 1 else Y), p, ms

    async def filter_route(request: Request) -> Response:
        X, K, opts, conv = _setup(await _json(request))
        Y, p, ms = await run_in_threadpool(_run, X, K, opts, conv)
        finite = Y[np.isfinite(Y)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        headers = {
            "X-Engine": p.engine,
            "X-Reason": p.reason.encode("ascii", "replace").decode(),
            "X-Time-Ms": f"{ms:.3f}",
            "X-Min": repr(lo),
            "X-Max": repr(hi),
        }
        return _raw(Y, headers)

    async def inspect_route(request: Request) -> Response:
        body = await _json(request)
        X, K, opts, conv = _setup(body)
        i, j = _pair([body.get("i"), body.get("j")], "i, j")
        c = body.get("channel", 0)
        if not isinstance(c, int) or not 0 <= c < X.shape[0]:
            raise BadRequest(f"`channel` must be 0..{X.shape[0] - 1}; got {c!r}")
        Y, _, _ = await run_in_threadpool(_run, X, K, opts, conv)
        if not (0 <= i < Y.shape[1] and 0 <= j < Y.shape[2]):
            raise BadRequest(f"output pixel ({i}, {j}) is outside the output {Y.shape[1:]}")
        Kc = (K[::-1, ::-1] if conv else K).astype(np.float64)
        return JSONResponse(inspect_pixel(X[c], Kc, opts, i, j, float(Y[c, i, j])))

    async def learn(request: Request) -> Response:
        from . import learning

        q = request.query_params
        try:
            job = learning.Job.from_query(dict(q), store.get)
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        return StreamingResponse(
            _sse(job.events()),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )

    async def rf(request: Request) -> Response:
        from . import fields

        q = dict(request.query_params)
        return JSONResponse(await run_in_threadpool(fields.table, q))

    async def rf_box(request: Request) -> Response:
        from . import fields

        q = dict(request.query_params)
        i, j = _int_param(request, "i"), _int_param(request, "j")
        return JSONResponse(await run_in_threadpool(fields.box, q, i, j))

    async def rf_fields(request: Request) -> Response:
        from . import fields

        q = dict(request.query_params)
        i, j = _int_param(request, "i"), _int_param(request, "j")
        # Seconds for a zoo network: off the event loop, so the page stays responsive.
        return JSONResponse(await run_in_threadpool(fields.maps, q, i, j))

    async def rf_image(request: Request) -> Response:
        from . import fields

        return _raw(fields.picture(dict(request.query_params)), {})

    routes = [
        Route("/", index),
        Route("/api/samples", handler(samples)),
        Route("/api/upload", handler(upload), methods=["POST"]),
        Route("/api/image/{key:str}", handler(image)),
        Route("/api/bank", handler(bank_route)),
        Route("/api/kernel", handler(kernel), methods=["POST"]),
        Route("/api/filter", handler(filter_route), methods=["POST"]),
        Route("/api/inspect", handler(inspect_route), methods=["POST"]),
        Route("/api/learn", handler(learn)),
        Route("/api/rf", handler(rf)),
        Route("/api/rf/box", handler(rf_box)),
        Route("/api/rf/fields", handler(rf_fields)),
        Route("/api/rf/image", handler(rf_image)),
        # StaticFiles resolves each path inside STATIC and refuses anything outside it.
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(routes=routes, lifespan=_lifespan)


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette):
    # torch is imported here, before any request: convlens checks for tensors by looking for
    # an imported torch, and a torch half-imported by another thread breaks that check.
    with contextlib.suppress(ImportError):
        import torch  # noqa: F401
    # Compile the JIT engines in the background, so that the first edit is not the one that
    # waits a second for numba.
    threading.Thread(target=_warm_up, daemon=True).start()
    yield


def _warm_up() -> None:
    """Run each engine once on a small image, in float32 as the page filters."""
    X = np.random.default_rng(0).random((64, 64), dtype=np.float32)
    for K in (np.ones((3, 3), np.float32), np.ones((1, 2), np.float32)):
        for method in ("direct", "separable", "box", "fft", "numpy"):
            with contextlib.suppress(ValueError, TypeError, ImportError):
                convlens.corr2d(X, K, padding="same", boundary="reflect", method=method)
                convlens.corr2d(X, K, method=method)
                convlens.corr2d(X, K, padding="full", boundary="wrap", stride=2, dilation=(1, 3))
    # The first learning run imports torch and compiles the float64 paths: do it now.
    from . import learning

    with contextlib.suppress(ImportError):
        job = learning.Job.from_query({"preset": "chapter", "epochs": "2"}, lambda k: step_image())
        for _ in job.events():
            pass


def _sse(events: Iterator[dict[str, Any]]) -> Iterator[str]:
    try:
        for ev in events:
            yield f"event: {ev.pop('event', 'message')}\ndata: {json.dumps(ev)}\n\n"
    except (ValueError, TypeError) as exc:
        yield f"event: failed\ndata: {json.dumps({'error': str(exc).splitlines()[0]})}\n\n"
