"""Independent implementations the engines are checked against, with the boundary mapping.

The table of boundary names (convlens / numpy.pad -> scipy.ndimage, scipy.signal, OpenCV,
torch) is in the README; the dicts below are that table.
"""

from __future__ import annotations

import numpy as np

NDIMAGE_MODE = {
    "constant": "constant",
    "reflect": "mirror",
    "symmetric": "reflect",
    "edge": "nearest",
    "wrap": "grid-wrap",
}
SIGNAL_BOUNDARY = {"constant": "fill", "symmetric": "symm", "wrap": "wrap"}
TORCH_MODE = {"reflect": "reflect", "edge": "replicate", "wrap": "circular"}


def cv2_border(boundary: str):
    import cv2

    return {
        "constant": cv2.BORDER_CONSTANT,
        "reflect": cv2.BORDER_REFLECT_101,
        "symmetric": cv2.BORDER_REFLECT,
        "edge": cv2.BORDER_REPLICATE,
    }.get(boundary)


def dilate_kernel(K: np.ndarray, dilation: tuple[int, int]) -> np.ndarray:
    """Insert ``d - 1`` zeros between taps: a dilated kernel as an ordinary one."""
    dh, dw = dilation
    kh, kw = K.shape
    out = np.zeros((dh * (kh - 1) + 1, dw * (kw - 1) + 1), dtype=K.dtype)
    out[::dh, ::dw] = K
    return out


def ndimage_same(X, K, boundary, value, stride, dilation):
    """scipy.ndimage.correlate for padding="same"; even kernels shift the origin by one."""
    import scipy.ndimage as ndi

    Kd = dilate_kernel(K, dilation)
    origin = [-1 if k % 2 == 0 else 0 for k in Kd.shape]
    Y = ndi.correlate(X, Kd, mode=NDIMAGE_MODE[boundary], cval=value, origin=origin)
    return Y[:: stride[0], :: stride[1]]


def cv2_same(X, K, boundary, stride, dilation):
    """cv2.filter2D for padding="same", with the anchor at the top/left padding."""
    import cv2

    Kd = dilate_kernel(K, dilation)
    kh, kw = Kd.shape
    Y = cv2.filter2D(
        X, -1, Kd, anchor=((kw - 1) // 2, (kh - 1) // 2), borderType=cv2_border(boundary)
    )
    return Y[:: stride[0], :: stride[1]]


def torch_conv(X4, K4, pads, boundary, value, stride, dilation, groups):
    """torch.nn.functional.conv2d, with torch's own padding modes wherever torch has them."""
    import torch
    import torch.nn.functional as F

    Xt, Kt = torch.from_numpy(X4), torch.from_numpy(K4)
    (t, b), (l, r) = pads
    H, W = X4.shape[-2:]
    if boundary == "constant":
        Xt = F.pad(Xt, (l, r, t, b), value=value)
    elif boundary in TORCH_MODE and max(t, b) < H and max(l, r) < W:
        Xt = F.pad(Xt, (l, r, t, b), mode=TORCH_MODE[boundary])
    else:  # symmetric, or pads larger than torch allows: numpy.pad defines the contract
        Xt = torch.from_numpy(np.pad(X4, ((0, 0), (0, 0), (t, b), (l, r)), mode=boundary))
    return F.conv2d(Xt, Kt, stride=stride, dilation=dilation, groups=groups).numpy()
