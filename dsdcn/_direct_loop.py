"""The direct convolution's loop nest, compiled by numba (imported only where numba is installed)."""

from __future__ import annotations

from typing import Any

import numba

# padding modes by number, as the loop takes them
ZEROS, REFLECT, REPLICATE, CIRCULAR = 0, 1, 2, 3


@numba.njit(inline="always")
def _source(i: int, n: int, mode: int) -> int:
    # where padded index i (-pad <= i < n + pad) reads in 0..n-1, or -1 for a zero
    if 0 <= i < n:
        return i
    if mode == REPLICATE:
        return 0 if i < 0 else n - 1
    if mode == REFLECT:
        return -i if i < 0 else 2 * (n - 1) - i
    if mode == CIRCULAR:
        return i + n if i < 0 else i - n
    return -1


def _loop(
    x: Any,
    w: Any,
    bias: Any,
    out: Any,
    s0: int,
    s1: int,
    p0: int,
    p1: int,
    d0: int,
    d1: int,
    groups: int,
    mode: int,
) -> None:
    # x (N, C, H, W), w (CO, CG, KH, KW), bias (CO,), out (N, CO, OH, OW), all C-contiguous, one dtype;
    # rows of the output in parallel, each summed tap by tap from the input rows it reads
    n, _, h, wd = x.shape
    co, cg, kh, kw = w.shape
    oh, ow = out.shape[2], out.shape[3]
    per_group = co // groups
    for t in numba.prange(n * co * oh):
        r = t % oh
        o = (t // oh) % co
        b = t // (oh * co)
        row = out[b, o, r]
        row[:] = bias[o]
        for ci in range(cg):
            channel = (o // per_group) * cg + ci
            for i in range(kh):
                y = _source(r * s0 + i * d0 - p0, h, mode)
                if y < 0:
                    continue  # a zero-padding row adds nothing
                src = x[b, channel, y]
                for j in range(kw):
                    weight = w[o, ci, i, j]
                    off = j * d1 - p1  # output column q reads input column q*s1 + off
                    lo = 0 if off >= 0 else min(ow, (s1 - 1 - off) // s1)
                    hi = max(lo, min(ow, (wd - 1 - off) // s1 + 1)) if wd - 1 - off >= 0 else lo
                    if s1 == 1:  # slices indexed from 0: no negative-index checks, so LLVM vectorises
                        dst = row[lo:hi]
                        seg = src[lo + off : hi + off]
                        for q in range(hi - lo):
                            dst[q] += weight * seg[q]
                    else:
                        for q in range(lo, hi):
                            row[q] += weight * src[q * s1 + off]
                    if mode != ZEROS:  # the columns that read the padding on either side
                        for q in range(lo):
                            row[q] += weight * src[_source(q * s1 + off, wd, mode)]
                        for q in range(hi, ow):
                            row[q] += weight * src[_source(q * s1 + off, wd, mode)]


def _compile() -> Any:
    # numba keeps the machine code on disk where it can write (next to this file, or the user's cache);
    # a read-only install without a cache directory compiles in each process instead
    try:
        return numba.njit(parallel=True, nogil=True, cache=True)(_loop)
    except RuntimeError:
        return numba.njit(parallel=True, nogil=True)(_loop)


loop = _compile()
