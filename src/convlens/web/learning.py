"""Learn a kernel live: the chapter's gradient-descent loop, one event per epoch.

The loop is the book's (7.2.4): ``convlens.Conv2D`` without bias, squared error summed,
``K -= lr * grad`` (or Adam). The data are a preset image with ``Y = corr2d(X, target)``, or
the user's own input/output pair (``preset=pair``), where the kernel is unknown. Each epoch
yields the loss and the kernel so that the page can draw them; the last event compares with
the exact least-squares answer of ``convlens.learn_kernel(method="lstsq")``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

import convlens
from convlens import kernels

PRESETS = {
    "chapter": ("sample:step", "[[1, -1]]"),
    "sobel": ("sample:camera", "sobel"),
    "gaussian": ("sample:camera", "gaussian:sigma=0.8,size=3"),
    "directional": ("sample:camera", "directional:30"),
}
"""name -> (image, target kernel spec). ``chapter`` is the book's 6x8 step and [[1, -1]]."""
MAX_EPOCHS = 5000
MAX_SIDE = 7
CROP = 64
PAIR_MAX_PIXELS = 512 * 512


def _grey(img: np.ndarray) -> np.ndarray:
    img = np.asarray(img, dtype=np.float64)
    return img.mean(axis=2) if img.ndim == 3 else img


def _size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*(?:x\s*(\d+))?\s*", text or "")
    if m is None:
        raise ValueError(f"`size` must look like 3 or 3x3; got {text!r}")
    kh, kw = int(m[1]), int(m[2] or m[1])
    if not (1 <= kh <= MAX_SIDE and 1 <= kw <= MAX_SIDE):
        raise ValueError(f"`size` must be 1..{MAX_SIDE} on each side; got {text!r}")
    return kh, kw


@dataclass
class Job:
    """One learning run: input, output, the kernel's shape, the target if known, settings."""

    X: np.ndarray
    Y: np.ndarray
    shape: tuple[int, int]
    target: np.ndarray | None
    epochs: int
    lr: float | str
    optimizer: str
    seed: int

    @classmethod
    def from_query(cls, q: dict[str, str], get_image: Callable[[str], np.ndarray]) -> Job:
        """Settings from query parameters; ``ValueError`` names the bad one.

        Examples
        --------
        >>> job = Job.from_query({"preset": "chapter"}, lambda key: np.ones((6, 8)))
        >>> job.target.tolist(), job.epochs, job.Y.shape
        ([[1.0, -1.0]], 10, (6, 7))
        """
        preset = q.get("preset", "chapter")
        if preset == "pair":
            X, Y = _grey(get_image(q.get("x", ""))), _grey(get_image(q.get("y", "")))
            if X.size > PAIR_MAX_PIXELS:
                raise ValueError(
                    f"`x` has {X.shape[0]}x{X.shape[1]} pixels; learning live takes at most "
                    f"{PAIR_MAX_PIXELS} (512x512): crop it first"
                )
            shape, K = _size(q.get("size", "3x3")), None
            valid = (X.shape[0] - shape[0] + 1, X.shape[1] - shape[1] + 1)
            if Y.shape == X.shape:  # "same" output: only the valid windows are used
                top, left = (shape[0] - 1) // 2, (shape[1] - 1) // 2
                Y = Y[top : top + valid[0], left : left + valid[1]]
            if Y.shape != valid:
                raise ValueError(
                    f"`y` must be {valid[0]}x{valid[1]} (valid) or {X.shape[0]}x{X.shape[1]} "
                    f"(same) for a {shape[0]}x{shape[1]} kernel on `x`; got "
                    f"{Y.shape[0]}x{Y.shape[1]}"
                )
        elif preset in PRESETS:
            image, spec = PRESETS[preset]
            K = kernels.from_spec(q.get("target") or spec)
            if max(K.shape) > MAX_SIDE:
                raise ValueError(
                    f"`target` may be at most {MAX_SIDE}x{MAX_SIDE} to learn live; got {K.shape}"
                )
            X = _grey(get_image(q.get("image") or image))
            if preset != "chapter":
                # A central crop: big enough to pin the kernel down, small enough to stream.
                r0, c0 = max(0, (X.shape[0] - CROP) // 2), max(0, (X.shape[1] - CROP) // 2)
                X = X[r0 : r0 + CROP, c0 : c0 + CROP]
            Y, shape = np.asarray(convlens.corr2d(X, K)), K.shape
        else:
            raise ValueError(f"`preset` must be one of {[*PRESETS, 'pair']}; got {preset!r}")
        epochs = _int(q.get("epochs", "10"), "epochs", 1, MAX_EPOCHS)
        lr_text = q.get("lr", "3e-2" if preset == "chapter" else "auto")
        if lr_text == "auto":
            lr: float | str = "auto"
        else:
            try:
                lr = float(lr_text)
            except ValueError:
                raise ValueError(f"`lr` must be a number or 'auto'; got {lr_text!r}") from None
            if not lr > 0:
                raise ValueError(f"`lr` must be positive; got {lr_text!r}")
        optimizer = q.get("optimizer", "sgd")
        if optimizer not in ("sgd", "adam"):
            raise ValueError(f"`optimizer` must be 'sgd' or 'adam'; got {optimizer!r}")
        seed = _int(q.get("seed", "0"), "seed", 0, 2**31 - 1)
        return cls(X, Y, tuple(shape), K, epochs, lr, optimizer, seed)

    def events(self) -> Iterator[dict[str, Any]]:
        """``setup``, one ``epoch`` per epoch, then ``done`` with the least-squares answer.

        Examples
        --------
        >>> job = Job.from_query({"preset": "chapter", "epochs": "2"}, lambda k: np.ones((6, 8)))
        >>> [e["event"] for e in job.events()]
        ['setup', 'epoch', 'epoch', 'done']
        """
        import torch

        X, Y, K = self.X, self.Y, self.target
        lr = self.lr
        if lr == "auto":
            # 1 / tr(Hessian) of the summed squared error bounds its largest eigenvalue, so
            # plain gradient descent cannot diverge, whatever the image's scale.
            trace = 2.0 * float(convlens.corr2d(X * X, np.ones(self.shape)).sum())
            lr = 1.0 / max(trace, 1e-12)
        yield {
            "event": "setup",
            "shape": list(X.shape),
            "kernel_shape": list(self.shape),
            "target": None if K is None else K.tolist(),
            # Small data (the chapter's 6x8) is shown as numbers beside the kernels.
            "X": X.tolist() if X.size <= 64 else None,
            "Y": np.asarray(Y).tolist() if X.size <= 64 else None,
            "lr": lr,
            "epochs": self.epochs,
        }
        with torch.random.fork_rng():
            torch.manual_seed(self.seed)
            layer = convlens.Conv2D(self.shape, bias=False).double()
        opt_cls = torch.optim.SGD if self.optimizer == "sgd" else torch.optim.Adam
        opt = opt_cls([layer.weight], lr=float(lr))
        Xt, Yt = torch.from_numpy(X), torch.from_numpy(np.asarray(Y, dtype=np.float64))
        every = max(1, self.epochs // 400)
        for epoch in range(1, self.epochs + 1):
            loss = ((layer(Xt) - Yt) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            if epoch % every == 0 or epoch == self.epochs:
                w = layer.weight.detach().numpy()
                loss_value = float(loss.detach())
                yield {"event": "epoch", "epoch": epoch, "loss": loss_value, "kernel": w.tolist()}
        exact = convlens.learn_kernel(X, Y, self.shape, method="lstsq", allow_underdetermined=True)
        w = layer.weight.detach().numpy()
        # Without a known target (the user's pair), the exact answer is the reference.
        ref = exact.kernel if K is None else K
        yield {
            "event": "done",
            "kernel": w.tolist(),
            "max_error": float(np.abs(w - ref).max()),
            "lstsq": exact.kernel.tolist(),
            "lstsq_error": None if K is None else float(np.abs(exact.kernel - K).max()),
            "residual": float(exact.residual),
            "rank": exact.rank,
            "unknowns": exact.n_unknowns,
            "underdetermined": bool(exact.underdetermined),
        }


def _int(text: str, name: str, lo: int, hi: int) -> int:
    try:
        v = int(text)
    except ValueError:
        v = lo - 1
    if not lo <= v <= hi:
        raise ValueError(f"`{name}` must be an integer in {lo}..{hi}; got {json.dumps(text)}")
    return v
