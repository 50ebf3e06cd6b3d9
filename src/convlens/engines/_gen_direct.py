"""Writes ``_jit_direct.py``: the direct engine's kernels specialised per kernel width.

Run ``python -m convlens.engines._gen_direct`` after editing the template; the generated
module is committed, so that numba's on-disk cache (``cache=True``) can locate its source.

Why generated code: the fast loop for a small kernel is one pass over an output row that
sums *all* taps of several kernel rows, ``y[j] = k00*x0[j] + k01*x0[j+1] + ... + k21*x2[j+1]
+ ...``, with every tap written out, so that LLVM keeps the sum in a register and vectorises
over ``j``; a loop over taps inside the pixel loop would not vectorise, and a pass per tap
reloads and stores the row for every tap. Numba cannot unroll a loop whose trip count is a
run-time value, so each width ``W`` gets its own functions for passes of ``R(W)`` and of
one kernel row. Only the driver of the width actually used is compiled (or loaded from the
cache), so unused widths cost nothing.

Why passes over blocks of ``BLOCK`` rows, each pass its own function: the first pass of a
block assigns (``_set_*``) and the rest add (``_add_*``), so a row is never zeroed and then
re-read; a run-time flag choosing ``=`` or ``+=`` inside one loop made LLVM's vectorised
loop 1.7x slower, and separate small functions keep each loop nest as simple as the fastest
hand-written one (512^2 3x3 float32, one thread: 85 us against 170 us for the row-at-a-time
kernel with a zeroing pass).
"""

from __future__ import annotations

import sys
from pathlib import Path

MAX_W = 16  # wider kernels take the generic loop (and usually the separable or FFT engine)
TAPS_PER_PASS = 25
# Output rows per task: the rows a block writes stay in cache across its passes.
BLOCK = 16


def rows_per_pass(w: int) -> int:
    """Kernel rows summed in one pass for width ``w`` (about 25 taps at most).

    Chosen so that common odd square kernels need few passes: 3x3 and 5x5 one pass, 7x7
    three (3 + 3 + 1 rows).
    """
    return {1: 5, 2: 5, 3: 3, 4: 4, 5: 5, 6: 3, 7: 3, 8: 3}.get(w, 2 if w <= 12 else 1)


HEADER = '''"""Direct-correlation kernels specialised per kernel width: GENERATED, do not edit.

Written by ``python -m convlens.engines._gen_direct`` (see that module for the why).
Stride 1 and dilation 1 only; ``direct_w{W}`` handles kernels of width ``W``, for a range
of blocks of output rows, without the GIL (the caller spreads block ranges over threads).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._jit import _FM, _border_block, fetch_add

'''


def _terms(w: int, r: int) -> list[str]:
    terms = [f"k{a}_{b} * s{a}_{b}[j]" for a in range(r) for b in range(w)]
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
    return chunks


def _pass_head(name: str, doc: str, w: int, r: int) -> list[str]:
    """A pass function's decorator, signature and docstring, and its ``r x w`` taps loaded
    into named locals (``k{a}_{b}``), which LLVM keeps in registers."""
    out = [
        "",
        "",
        "@njit(cache=True, nogil=True, fastmath=_FM)",
        f"def {name}(X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off):",
        f'    """{doc}"""',
    ]
    for ka in range(r):
        for b in range(w):
            out.append(f"    k{ka}_{b} = Kc[a + {ka}, {b}]")
    return out


def _input_row(ra: int) -> list[str]:
    """Input row ``i + a + ra`` as ``x{ra}``: a row of X, or the fill row past the border."""
    return [
        f"        q = rowmap[i + a + {ra}]",
        f"        x{ra} = X[n, xc, q] if q >= 0 else crow",
    ]


def rows_pass(w: int, r: int, op: str) -> str:
    """``_{set|add}_w{w}_r{r}``: ``r`` kernel rows of width ``w`` over a block of rows."""
    name = f"_{'set' if op == '=' else 'add'}_w{w}_r{r}"
    doc = f"Interior of output rows ``i0 <= i < i1``: Y {op} kernel rows a..a+{r - 1}."
    out = _pass_head(name, doc, w, r)
    out += ["    for i in range(i0, i1):", "        ys = Y[n, o, i, j_lo : j_lo + n_in]"]
    for a in range(r):
        out += _input_row(a)
        for b in range(w):
            # Slices of exactly n_in elements: LLVM then needs no run-time length checks.
            out.append(f"        s{a}_{b} = x{a}[off + {b} : off + {b} + n_in]")
    out.append("        for j in range(n_in):")
    chunks = _terms(w, r)
    if len(chunks) == 1:
        out.append(f"            ys[j] {op} {chunks[0]}")
    else:
        out.append(f"            ys[j] {op} (")
        out += [f"                {c}" for c in chunks]
        out.append("            )")
    return "\n".join(out) + "\n"


def rows_pass2(w: int, r: int, op: str) -> str:
    """``_{set|add}2_w{w}_r{r}``: as :func:`rows_pass`, two output rows per iteration.

    Output rows ``i`` and ``i + 1`` share ``r - 1`` of the ``r + 1`` input rows they read,
    so each loaded value feeds both sums: ``(r + 1) * w`` loads for two outputs instead of
    ``2 * r * w`` (one thread, 512^2 5x5: 0.73 of the time in float32, 0.80 in float64).
    An odd last row goes to the one-row pass.
    """
    kind = "set" if op == "=" else "add"
    doc = f"Output rows ``i0 <= i < i1``, two at a time: Y {op} kernel rows a..a+{r - 1}."
    out = _pass_head(f"_{kind}2_w{w}_r{r}", doc, w, r)
    out += [
        "    i = i0",
        "    while i + 1 < i1:",
        "        ys = Y[n, o, i, j_lo : j_lo + n_in]",
        "        zs = Y[n, o, i + 1, j_lo : j_lo + n_in]",
    ]
    for ra in range(r + 1):
        out += _input_row(ra)
        out.append(f"        s{ra} = x{ra}[off : off + n_in + {w - 1}]")
    out.append("        for j in range(n_in):")
    for ra in range(r + 1):
        for b in range(w):
            out.append(f"            v{ra}_{b} = s{ra}[j + {b}]")
    for target, shift in (("ys", 0), ("zs", 1)):
        terms = [f"k{ka}_{b} * v{ka + shift}_{b}" for ka in range(r) for b in range(w)]
        out.append(f"            {target}[j] {op} (")
        out += [f"                {'+ ' if t else ''}{term}" for t, term in enumerate(terms)]
        out.append("            )")
    out += [
        "        i += 2",
        "    if i < i1:",
        f"        _{kind}_w{w}_r{r}(X, Kc, rowmap, crow, Y, n, xc, o, a, i, i1, j_lo, n_in, off)",
    ]
    return "\n".join(out) + "\n"


def two_rows(w: int) -> bool:
    """Whether width ``w``'s main pass computes two output rows at a time.

    Measured one thread, 512^2, two rows against one: 5x5 0.74 (float32) and 0.80
    (float64), 7x7 0.87, 4x4 0.85; but 3x3 0.96-1.08 in float32 and 1.3-1.5 in float64
    (and 2x2 1.0): from 16 taps a pass up, where reusing loads outweighs the longer loop.
    """
    return rows_per_pass(w) > 1 and w * rows_per_pass(w) >= 16


def driver(w: int) -> str:
    rmax = rows_per_pass(w)
    two = "2" if two_rows(w) else ""
    args = "X, Kc, rowmap, crow, Y, n, xc, o, a, i0, i1, j_lo, n_in, off"
    out = [
        "",
        "",
        "@njit(cache=True, nogil=True, fastmath=_FM)",
        f"def direct_w{w}(X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y, t0, t1):",
        f'    """Blocks ``t0 <= t < t1`` of {BLOCK} output rows (over N, C_out, H\' / {BLOCK}),'
        f" width {w}.",
        "",
        f"    Interior columns: {rmax} kernel rows ({rmax * w} taps) per pass over a block of",
        "    rows; the first pass assigns and the rest add, so rows are never zeroed.",
        '    """',
        "    _, O, Ho, Wo = Y.shape",
        "    _, Cg, kh, _ = K.shape",
        "    og = O // groups",
        "    n_in = j_hi - j_lo",
        "    off = j_lo - pl",
        f"    nb = (Ho + {BLOCK - 1}) // {BLOCK}",
        f"    acc = np.empty({BLOCK}, np.float64)  # border sums of a block's rows",
        "    for t in range(t0, t1):",
        "        n = t // (O * nb)",
        "        o = (t // nb) % O",
        f"        i0 = (t % nb) * {BLOCK}",
        f"        i1 = min(i0 + {BLOCK}, Ho)",
        "        g = o // og",
        "        first = True",
        "        for c in range(Cg):",
        "            xc = g * Cg + c",
        "            Kc = K[o, c]",
        "            a = 0",
        "            while a < kh:",
        f"                r = {rmax} if kh - a >= {rmax} else 1",
        "                if first:",
    ]
    if rmax == 1:
        out.append(f"                    _set_w{w}_r1({args})")
        out.append("                else:")
        out.append(f"                    _add_w{w}_r1({args})")
    else:
        out += [
            f"                    if r == {rmax}:",
            f"                        _set{two}_w{w}_r{rmax}({args})",
            "                    else:",
            f"                        _set_w{w}_r1({args})",
            "                else:",
            f"                    if r == {rmax}:",
            f"                        _add{two}_w{w}_r{rmax}({args})",
            "                    else:",
            f"                        _add_w{w}_r1({args})",
        ]
    out += [
        "                first = False",
        "                a += r",
        "        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, 0, j_lo, Y, acc)",
        "        _border_block(X, K, rowmap, colmap, value, n, o, g, i0, i1, j_hi, Wo, Y, acc)",
    ]
    passes = [rows_pass(w, r, op) for r in sorted({1, rmax}) for op in ("=", "+=")]
    if two_rows(w):
        passes += [rows_pass2(w, rmax, op) for op in ("=", "+=")]
    return "".join(passes) + "\n".join(out) + "\n" + stealing(w)


def stealing(w: int) -> str:
    """``sdirect_w{w}``: blocks claimed ``chunk`` at a time from a shared counter."""
    args = "X, K, rowmap, colmap, value, pl, groups, j_lo, j_hi, crow, Y"
    return "\n".join(
        [
            "",
            "",
            "@njit(cache=True, nogil=True)",
            f"def sdirect_w{w}({args}, c, total, chunk):",
            f'    """``direct_w{w}`` over blocks ``[0, total)``, claimed ``chunk`` at a time from'
            " ``c[0]``;",
            '    ``c[1]`` counts the blocks done (see ``base.run_rows``)."""',
            "    while True:",
            "        t0 = fetch_add(c, 0, chunk)",
            "        if t0 >= total:",
            "            return",
            "        t1 = min(t0 + chunk, total)",
            f"        direct_w{w}({args}, t0, t1)",
            "        fetch_add(c, 1, t1 - t0)",
            "",
            "",
            "@njit(cache=True, nogil=True, parallel=True)",
            f"def pdirect_w{w}({args}, c, total, chunk, workers):",
            f'    """``sdirect_w{w}`` on ``workers`` of numba\'s threads (``base.run_rows``)."""',
            "    for _ in prange(workers):",
            f"        sdirect_w{w}({args}, c, total, chunk)",
            "",
        ]
    )


def source() -> str:
    text = HEADER + "".join(driver(w) for w in range(1, MAX_W + 1))
    names = ", ".join(f'"direct_w{w}"' for w in range(1, MAX_W + 1))
    snames = ", ".join(f'"pdirect_w{w}"' for w in range(1, MAX_W + 1))
    return text + f"\n\nDRIVERS = ({names},)\nPARALLEL = ({snames},)\n"


def main() -> None:
    path = Path(__file__).with_name("_jit_direct.py")
    path.write_text(source())
    # The committed module is ruff-formatted (``make lint`` checks it).
    import shutil
    import subprocess

    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    subprocess.run([ruff, "format", "--quiet", str(path)], check=True)


if __name__ == "__main__":
    main()
