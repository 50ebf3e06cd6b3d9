"""``filter_image``: one 2-D kernel over every colour channel of an image, alpha kept.

A thin layer over :func:`convlens.corr2d` / :func:`convlens.conv2d`: the channels become a
batch ``(C, 1, H, W)`` so one call filters them all, and the contract (dtype rule, boundary
names, planner) applies unchanged. Because only ``transpose``, indexing and ``reshape`` are
used on the image, a Dask array flows through to corr2d's Dask path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops import conv2d, corr2d


def _channels(shape: tuple[int, ...]) -> int:
    if len(shape) == 2:
        return 0
    if len(shape) == 3 and shape[-1] >= 1:
        return shape[-1]
    raise ValueError(
        "`image` must be 2-D (H, W) or channels-last 3-D (H, W, C); "
        f"got {len(shape)}-D with shape {tuple(shape)}"
    )


def filter_image(
    image: Any,
    K: Any,
    *,
    conv: bool = False,
    padding: Any = "same",
    boundary: str = "reflect",
    value: float = 0.0,
    alpha: bool | None = None,
    method: str = "auto",
    check_finite: bool = False,
    nan_policy: str = "propagate",
    min_weight: float = 0.0,
) -> Any:
    """Filter an image with one 2-D kernel, channel by channel, keeping the alpha channel.

    Unlike :func:`convlens.corr2d`, whose default is the chapter's ``"valid"``, this
    defaults to what image tools do: a same-size output with the ``"reflect"`` boundary
    (OpenCV's default ``BORDER_REFLECT_101``).

    Parameters
    ----------
    image : array_like or dask.array.Array
        Grey ``(H, W)`` or channels-last ``(H, W, C)``: grey+alpha (C=2), RGB (C=3),
        RGBA (C=4) or any number of bands. Any real dtype (uint8, uint16, float...).
    K : array_like
        The kernel, ``(kh, kw)``.
    conv : bool
        ``True`` for strict convolution (the kernel flipped on both axes, D2L 7.2.5);
        ``False`` for cross-correlation.
    padding : int, pair, pairs or {"valid", "same", "full"}
        As in :func:`convlens.corr2d`.
    boundary : {"reflect", "symmetric", "edge", "wrap", "constant"}
        What fills the padding (numpy.pad's names).
    value : float
        The fill for ``boundary="constant"``.
    alpha : bool, optional
        Whether the last channel is alpha, copied unchanged (cast to the result dtype) instead
        of filtered. By default, ``True`` for C = 2 or 4. Needs a same-size output.
    method : str
        The engine, as in :func:`convlens.corr2d`.
    check_finite : bool
        Raise ``ValueError`` if the image or kernel holds NaN or infinity.
    nan_policy : {"propagate", "omit", "fill"}
        What NaN pixels mean, per channel, as in :func:`convlens.corr2d`.
    min_weight : float
        With ``nan_policy="omit"``, as in :func:`convlens.corr2d`.

    Returns
    -------
    Y : ndarray (or Dask array)
        The image's layout, spatial size from the output-size law, and dtype
        ``np.result_type(image, K, np.float32)`` (uint8 and uint16 give float32). Values are
        not clipped or rounded: a derivative kernel gives negative values.

    Examples
    --------
    >>> import numpy as np
    >>> rgb = np.zeros((4, 4, 3), dtype=np.uint8)
    >>> rgb[:, 2:] = 200
    >>> K = np.array([[1, -1]], dtype=np.float32)
    >>> Y = filter_image(rgb, K, padding="valid")
    >>> Y.shape, Y.dtype
    ((4, 3, 3), dtype('float32'))
    >>> Y[0, :, 0]
    array([   0., -200.,    0.], dtype=float32)
    """
    shape = tuple(image.shape) if hasattr(image, "shape") else np.shape(image)
    if not hasattr(image, "shape"):
        image = np.asarray(image)
    c = _channels(shape)
    if alpha is None:
        alpha = c in (2, 4)
    elif not isinstance(alpha, bool):
        raise TypeError(f"`alpha` must be a bool or None; got {alpha!r}")
    if alpha and c < 2:
        raise ValueError(
            f"`alpha`=True needs an (H, W, C) image with C >= 2; got shape {tuple(shape)}"
        )
    if isinstance(K, tuple) and len(K) == 2 and all(np.ndim(f) == 1 for f in K):
        # (u, v) would stack into a 2-row kernel, not the separable np.outer(u, v).
        raise ValueError(
            "`K` is a pair of 1-D arrays; pass np.outer(u, v) for the separable kernel "
            "u (column) times v (row), or np.array(K) if you meant a 2-row kernel"
        )
    if not hasattr(K, "shape"):
        K = np.asarray(K)
    if len(K.shape) != 2:
        raise ValueError(f"`K` must be 2-D (kh, kw); got shape {tuple(K.shape)}")
    op = conv2d if conv else corr2d
    opts = dict(
        padding=padding,
        boundary=boundary,
        value=value,
        method=method,
        check_finite=check_finite,
        nan_policy=nan_policy,
        min_weight=min_weight,
    )
    if c == 0:
        return op(image, K, **opts)
    n = c - 1 if alpha else c
    # Channels as a batch of single-channel images: one call, one plan, every channel.
    X = image[..., :n].transpose(2, 0, 1)[:, None]
    Y = op(X, K[None, None], **opts)[:, 0].transpose(1, 2, 0)
    if not alpha:
        return Y
    if tuple(Y.shape[:2]) != tuple(shape[:2]):
        raise ValueError(
            f"`alpha` can only be kept when the output has the input's size {shape[:2]}; "
            f"padding={padding!r} gives {tuple(Y.shape[:2])}. Use padding='same' or alpha=False"
        )
    A = image[..., n:].astype(Y.dtype)
    if isinstance(Y, np.ndarray):
        return np.concatenate([Y, A], axis=-1)
    import dask.array as da

    return da.concatenate([Y, A], axis=-1)
