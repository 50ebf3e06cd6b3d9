"""``convlens demo``: the chapter "Convolutions for Images", section by section, self-checking.

Each section computes what the book computes, prints it, and compares it with the book's
printed values. The command exits 1 if any comparison fails. ``--pictures DIR`` also writes
the chapter's figures there; the last line points to ``convlens serve``, where the same
steps can be played with.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import convlens
from convlens import io

from ._report import Checker, console
from ._report import show as _show

PICTURES = ("demo_edge.png", "demo_loss.png", "demo_kernel.png", "demo_field.png")


def section_721(c: Checker) -> None:
    console.rule("7.2.1 The cross-correlation operation")
    X = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    K = np.array([[0.0, 1.0], [2.0, 3.0]])
    Y = convlens.corr2d(X, K)
    _show("corr2d(X, K)", Y)
    c.check(
        np.array_equal(Y, [[19.0, 25.0], [37.0, 43.0]]), "equals the book's [[19, 25], [37, 43]]"
    )
    c.check(Y.shape == (3 - 2 + 1, 3 - 2 + 1), "output size is (n_h - k_h + 1) x (n_w - k_w + 1)")


def step_image() -> np.ndarray:
    X = np.ones((6, 8))
    X[:, 2:6] = 0
    return X


def section_722(c: Checker, seed: int) -> None:
    import torch

    console.rule("7.2.2 Convolutional layers")
    torch.manual_seed(seed)
    layer = convlens.Conv2D((1, 2))
    console.print(f"layer = {layer!r}")
    w0 = layer.weight.detach().numpy()
    _show("weight (initialised uniformly in [0, 1))", w0)
    c.check(bool(((w0 >= 0) & (w0 < 1)).all()), "the kernel starts uniform in [0, 1)")
    c.check(float(layer.bias.detach()) == 0.0, "the scalar bias starts at zero")
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[1.0, -1.0]]))
        layer.bias.fill_(0.5)
    X = torch.from_numpy(step_image()).float()  # float32, like the layer (and the book)
    Y = layer(X).detach().numpy()
    _show("layer(X) with weight [[1, -1]] and bias 0.5 on the step image", Y)
    c.check(
        np.array_equal(Y, convlens.corr2d(step_image(), np.array([[1.0, -1.0]])) + 0.5),
        "forward is corr2d(x, weight) + bias",
    )


def section_723(c: Checker) -> None:
    console.rule("7.2.3 Object edge detection in images")
    X = step_image()
    K = np.array([[1.0, -1.0]])
    _show("X", X)
    Y = convlens.corr2d(X, K)
    _show("Y = corr2d(X, [[1, -1]])", Y)
    book = np.zeros((6, 7))
    book[:, 1], book[:, 5] = 1.0, -1.0
    c.check(np.array_equal(Y, book), "1 marks the white-to-black edge, -1 black-to-white")
    Yt = convlens.corr2d(X.T, K)
    c.check(
        Yt.shape == (8, 5) and not Yt.any(),
        "the transposed image gives all zeros: this kernel only sees vertical edges",
    )


def section_724(c: Checker, seed: int, num_epochs: int = 10, lr: float = 3e-2) -> None:
    console.rule("7.2.4 Learning a kernel")
    X = step_image()
    Y = convlens.corr2d(X, np.array([[1.0, -1.0]]))
    # The book's loop: nn.LazyConv2d(1, kernel_size=(1, 2), bias=False) (torch's init for
    # this seed), squared error summed, plain SGD; here a convlens.Conv2D on the engines.
    fit = convlens.learn_kernel(X, Y, (1, 2), method="gd", lr=lr, num_epochs=num_epochs, seed=seed)
    for i, loss in enumerate(fit.losses, start=1):
        if i % 2 == 0:
            console.print(f"epoch {i}, loss {loss:.3f}")
    _show("learned kernel", fit.kernel)
    losses = list(fit.losses)
    c.check(all(b < a for a, b in zip(losses, losses[1:])), "the loss falls at every epoch")
    c.check(
        np.abs(fit.kernel - [[1.0, -1.0]]).max() < 0.1,
        "the learned kernel is within 0.1 of [[1, -1]]",
    )
    exact = convlens.learn_kernel(X, Y, (1, 2), method="lstsq")
    _show("least squares on the im2col matrix (exact)", exact.kernel)
    c.check(
        np.abs(exact.kernel - [[1.0, -1.0]]).max() < 1e-12,
        "least squares recovers [[1, -1]] exactly",
    )


def section_725(c: Checker, seed: int) -> None:
    console.rule("7.2.5 Cross-correlation and convolution")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((6, 8))
    K = rng.standard_normal((2, 3))
    conv = convlens.conv2d(X, K)
    flipped = convlens.corr2d(X, K[::-1, ::-1])
    c.check(
        np.allclose(conv, flipped, rtol=0, atol=1e-12),
        "conv2d(X, K) == corr2d(X, K flipped on both axes)",
    )
    c.check(not np.allclose(conv, convlens.corr2d(X, K)), "and differs from corr2d(X, K) itself")
    K_learned = np.array([[1.0, -1.0]])
    c.check(
        np.array_equal(
            convlens.conv2d(step_image(), K_learned[:, ::-1]),
            convlens.corr2d(step_image(), K_learned),
        ),
        "a kernel learned by convolution is the flip of one learned by cross-correlation",
    )


def section_726(c: Checker, seed: int) -> None:
    import torch

    console.rule("7.2.6 Feature map and receptive field")
    # Two stacked 2x2 layers: each output of layer 2 sees a 3x3 input patch.
    analytic = convlens.receptive_field("conv2,conv2")[-1].size
    torch.manual_seed(seed)
    X = torch.rand(1, 1, 6, 6, requires_grad=True)
    K1, K2 = torch.rand(1, 1, 2, 2) + 0.1, torch.rand(1, 1, 2, 2) + 0.1
    Y2 = convlens.corr2d(convlens.corr2d(X, K1), K2)
    Y2[0, 0, 0, 0].backward()
    touched = (X.grad[0, 0] != 0).numpy()
    rows, cols = np.nonzero(touched)
    size = (rows.max() - rows.min() + 1, cols.max() - cols.min() + 1)
    console.print(f"feature map of layer 2: shape {tuple(Y2.shape[-2:])}")
    console.print(f"receptive field of Y2[0, 0] in the input: {size[0]} x {size[1]}")
    _show("input pixels that affect Y2[0, 0] (gradient != 0)", touched.astype(int))
    c.check(
        size == analytic,
        f"the measured field is {analytic[0]}x{analytic[1]}, as convlens.receptive_field says",
    )


def write_pictures(directory: str | Path, seed: int = 0, *, force: bool = False) -> list[Path]:
    """Write the chapter's figures into ``directory``: the edge, the loss, the kernel, the field.

    Examples
    --------
    >>> import tempfile
    >>> [p.name for p in write_pictures(tempfile.mkdtemp())]
    ['demo_edge.png', 'demo_loss.png', 'demo_kernel.png', 'demo_field.png']
    """
    from convlens.plot.images import compare_figure, diverging, kernel_figure
    from convlens.plot.loss import plot_loss
    from convlens.plot.receptive import plot_field_on_image

    d = Path(directory)
    if not d.is_dir():
        raise FileNotFoundError(f"`--pictures` must be an existing directory; got {str(d)!r}")
    paths = [io.check_output(d / name, force=force) for name in PICTURES]
    X, K = step_image(), np.array([[1.0, -1.0]])
    Y = convlens.corr2d(X, K)
    compare_figure(
        X, K, diverging(Y, scale=1.0), paths[0], title="7.2.3 the edge kernel on the step"
    )
    fit = convlens.learn_kernel(X, Y, (1, 2), method="gd", lr=3e-2, num_epochs=10, seed=seed)
    plot_loss(fit.losses, paths[1], title="7.2.4 learning [[1, -1]]: squared error per epoch")
    kernel_figure(fit.kernel, paths[2], title="the learned kernel")
    row = convlens.receptive_field("conv2,conv2", input_size=(6, 6))[-1]
    plot_field_on_image(
        np.indices((6, 6)).sum(axis=0) % 2,
        row,
        paths[3],
        unit=(0, 0),
        title="7.2.6 two 2x2 layers: Y2[0, 0] sees 3x3",
    )
    return paths


def run(args: argparse.Namespace) -> int:
    c = Checker()
    if args.pictures is not None:
        # Checked before the sections run, so a bad directory fails fast.
        for name in PICTURES:
            io.check_output(Path(args.pictures) / name, force=args.force)
    section_721(c)
    section_722(c, args.seed)
    section_723(c)
    section_724(c, args.seed)
    section_725(c, args.seed)
    section_726(c, args.seed)
    if args.exercises:
        from .exercises import run_exercises

        run_exercises(c)
    console.rule()
    if c.failures:
        console.print(f"[red]{len(c.failures)} check(s) disagree with the chapter[/red]")
        return 1
    console.print("[green]every section agrees with the chapter[/green]")
    if args.pictures is not None:
        for path in write_pictures(args.pictures, args.seed, force=args.force):
            console.print(f"wrote {path}")
    console.print(
        "next: [bold]convlens serve[/bold] opens the playground in your browser: slide the "
        "window, edit the kernel, learn it live, see receptive fields on a real image"
    )
    return 0


def _seed(text: str) -> int:
    """argparse ``type=`` for ``--seed``: torch and NumPy take 0 .. 2**32 - 1."""
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 0 <= n < 2**32:
        raise argparse.ArgumentTypeError(f"must be an integer from 0 to 2**32 - 1; got {text!r}")
    return n


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="walk through the chapter, checking each result")
    p.add_argument(
        "--seed", type=_seed, default=0, help="seed for the learning section (0 to 2**32 - 1)"
    )
    p.add_argument(
        "--exercises", action="store_true", help="also run the chapter's exercises 1 to 4"
    )
    p.add_argument("--pictures", metavar="DIR", help="write the chapter's figures (PNG) into DIR")
    p.add_argument("--force", action="store_true", help="overwrite pictures in DIR")
    p.set_defaults(func=run)
