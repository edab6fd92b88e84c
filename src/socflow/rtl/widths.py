"""Widths of the registers and addresses the RTL generators write, computed in one place for the generators and
the cost model alike."""

from __future__ import annotations


def bits_for(n: int) -> int:
    """Bits of a counter or an address over n values (0 ... n - 1; at least 1 bit)."""
    return max(1, (max(n, 1) - 1).bit_length())


def bank_words(positions: int) -> int:
    """Words of a two-bank buffer of `positions` each (socflow_banks.v: the bank bit above the position's bits),
    as the templates declare it and the cost model counts its LUT-RAM."""
    return 2 * 2 ** bits_for(positions)
