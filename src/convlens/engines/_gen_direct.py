"""Writes ``_jit_direct.py``: the direct engine's kernels specialised per kernel width.

Run ``python -m convlens.engines._gen_direct`` after editing the template; the generated
module is committed, so that numba's on-disk cache (``cache=True``) can locate its source.

Why generated code: the fast loop for a small kernel is one pass over an output row that
sums *all* taps of several kernel rows, ``y[j] = k00*x0[j] + k01*x0[j+1] + ... + k21*x2[j+1]
+ ...``, with every tap written out, so that LLVM keeps the sum in a register and vectorises
over ``j``; a loop over taps inside the pixel loop would not vectorise, and a pass per tap
reloads and stores the row for every tap. Numba cannot unroll a loop whose trip count is a
run-time value, so each width ``W`` gets its own function with bodies for ``1..R(W)`` kernel
rows per pass. Only the driver of the width actually used is compiled (or loaded from the
cache), so unused widths cost nothing.
"""

from __future__ import annotations

from pathlib import Path

MAX_W = 16  # wider kernels take the generic loop (and usually the separable or FFT engine)
TAPS_PER_PASS = 25


def rows_per_pass(w: int) -> int:
    """Kernel rows summed in one pass for width ``w`` (about 25 taps at most).

    Chosen so that common odd square kernels need few passes: 3x3 and 5x5 one pass, 7x7
    three (3 + 3 + 1 rows).
    """
    return {1: 5, 2: 5, 3: 3, 4: 4, 5: 5, 6: 3, 7: 3, 8: 3}.get(w, 2 if w <= 12 else 1)


HEADER = '''"""Direct-correlation kernels specialised per kernel width: GENERATED, do not edit.

Written by ``python -m convlens.engines._gen_direct`` (see that module for the why).
Stride 1 and dilation 1 only; ``direct_w{W}`` handles kernels of width ``W``, for a range
of output rows, without the GIL (the caller spreads row ranges over threads).
"""

from __future__ import annotations

from numba import njit

from ._jit import _FM, _border_row

'''


def _body(w: int, r: int, op: str, ind: str) -> list[str]:
    lines = []
    for a in range(r):
        lines.append(f"{ind}q = rowmap[i + a + {a}]")
        lines.append(f"{ind}x{a} = X[n, xc, q] if q >= 0 else crow")
        for b in range(w):
            lines.append(f"{ind}s{a}_{b} = x{a}[j_lo - pl + {b}:]")
            lines.append(f"{ind}k{a}_{b} = Kc[a + {a}, {b}]")
    terms = [f"k{a}_{b} * s{a}_{b}[j]" for a in range(r) for b in range(w)]
    lines.append(f"{ind}for j in range(n_in):")
    # keep lines short enough for ruff's formatter to leave alone: wrap at term boundaries
    chunks, cur = [], ""
    for t in terms:
        piece = t if not cur else " + " + t
        if len(cur) + len(piece) > 70:
            chunks.append(cur)
            cur = "+ " + t
        else:
            cur += piece
    chunks.append(cur)
    pad = ind + "    "
    if len(chunks) == 1:
        lines.append(f"{pad}ys[j] {op} {chunks[0]}")
    else:
        lines.append(f"{pad}ys[j] {op} (")
        for c in chunks:
            lines.append(f"{pad}    {c}")
        lines.append(f"{pad})")
    return lines


def driver(w: int) -> str:
    rmax = rows_per_pass(w)
    out = [
        "",
        "",
        "@njit(cache=True, fastmath=_FM)",
        f"def _row_w{w}(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y):",
        f'    """Interior of one output row: {rmax} kernel rows ({rmax * w} taps) per pass."""',
        "    _, Cg, kh, _ = K.shape",
        "    n_in = j_hi - j_lo",
        "    ys = y[j_lo:j_hi]",
        "    ys[:] = 0",
        "    for c in range(Cg):",
        "        xc = g * Cg + c",
        "        Kc = K[o, c]",
        "        a = 0",
        "        while a < kh:",
    ]
    if rmax == 1:
        out += _body(w, 1, "+=", " " * 12)
        out.append("            a += 1")
    else:
        out.append(f"            if kh - a >= {rmax}:")
        out += _body(w, rmax, "+=", " " * 16)
        out.append(f"                a += {rmax}")
        out.append("            else:")
        out += _body(w, 1, "+=", " " * 16)
        out.append("                a += 1")
    out += [
        "",
        "",
        "@njit(cache=True, nogil=True, fastmath=_FM)",
        f"def direct_w{w}(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):",
        f'    """Output rows ``t0 <= t < t1`` (over N, C_out, H\') for kernels of width {w}."""',
        "    _, O, Ho, Wo = Y.shape",
        "    og = O // groups",
        "    for t in range(t0, t1):",
        "        n = t // (O * Ho)",
        "        o = (t // Ho) % O",
        "        i = t % Ho",
        "        g = o // og",
        "        y = Y[n, o, i]",
        f"        _row_w{w}(X, K, rowmap, pl, n, o, i, g, j_lo, j_hi, crow, y)",
        "        _border_row(X, K, rowmap, colmap, value, n, o, i, g, 0, j_lo, y)",
        "        _border_row(X, K, rowmap, colmap, value, n, o, i, g, j_hi, Wo, y)",
    ]
    return "\n".join(out) + "\n"


def source() -> str:
    text = HEADER + "".join(driver(w) for w in range(1, MAX_W + 1))
    names = ", ".join(f'"direct_w{w}"' for w in range(1, MAX_W + 1))
    return text + f"\n\nDRIVERS = ({names},)\n"


def main() -> None:
    path = Path(__file__).with_name("_jit_direct.py")
    path.write_text(source())


if __name__ == "__main__":
    main()
