"""Learn a kernel live: the chapter's gradient-descent loop, one event per epoch.

The loop is the book's (7.2.4): ``convlens.Conv2D`` without bias, squared error summed,
``K -= lr * grad`` (or Adam), on ``Y = corr2d(X, target)``. Each epoch yields the loss and
the kernel so that the page can draw them; the last event compares with the exact
least-squares answer of ``convlens.learn_kernel(method="lstsq")``.
"""

from __future__ import annotations

import json
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
CROP = 64


@dataclass
class Job:
    """One learning run: input, target kernel and the optimiser's settings."""

    X: np.ndarray
    target: np.ndarray
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
        >>> job.target.tolist(), job.epochs
        ([[1.0, -1.0]], 10)
        """
        preset = q.get("preset", "chapter")
        if preset not in PRESETS:
            raise ValueError(f"`preset` must be one of {list(PRESETS)}; got {preset!r}")
        image, spec = PRESETS[preset]
        target = q.get("target") or spec
        K = kernels.from_spec(target)
        if max(K.shape) > 7:
            raise ValueError(f"`target` may be at most 7x7 to learn live; got {K.shape}")
        X = np.asarray(get_image(q.get("image") or image), dtype=np.float64)
        if X.ndim == 3:
            X = X.mean(axis=2)
        if preset != "chapter":
            # A central crop: big enough to pin the kernel down, small enough to stream.
            r0, c0 = max(0, (X.shape[0] - CROP) // 2), max(0, (X.shape[1] - CROP) // 2)
            X = X[r0 : r0 + CROP, c0 : c0 + CROP]
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
        return cls(X, K, epochs, lr, optimizer, seed)

    def events(self) -> Iterator[dict[str, Any]]:
        """``setup``, one ``epoch`` per epoch, then ``done`` with the least-squares answer."""
        import torch

        X, K = self.X, self.target
        Y = convlens.corr2d(X, K)
        lr = self.lr
        if lr == "auto":
            # 1 / tr(Hessian) of the summed squared error bounds its largest eigenvalue, so
            # plain gradient descent cannot diverge, whatever the image's scale.
            trace = 2.0 * float(convlens.corr2d(X * X, np.ones(K.shape)).sum())
            lr = 1.0 / max(trace, 1e-12)
        yield {
            "event": "setup",
            "X": X.tolist() if X.size <= 64 else None,
            "shape": list(X.shape),
            "target": K.tolist(),
            "lr": lr,
            "epochs": self.epochs,
        }
        with torch.random.fork_rng():
            torch.manual_seed(self.seed)
            layer = convlens.Conv2D(K.shape, bias=False).double()
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
                yield {
                    "event": "epoch",
                    "epoch": epoch,
                    "loss": float(loss.detach()),
                    "kernel": w.tolist(),
                }
        exact = convlens.learn_kernel(X, Y, K.shape, method="lstsq", allow_underdetermined=True)
        w = layer.weight.detach().numpy()
        yield {
            "event": "done",
            "kernel": w.tolist(),
            "max_error": float(np.abs(w - K).max()),
            "lstsq": exact.kernel.tolist(),
            "lstsq_error": float(np.abs(exact.kernel - K).max()),
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
