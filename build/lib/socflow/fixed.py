"""Arbitrary-precision fixed-point types (ap_fixed / ap_ufixed) as numbers: parse their text and put
floats on their grid with their rounding and overflow modes, so that inputs fed to the QKeras model,
to the C simulation and to the board are the same numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from socflow.errors import ConfigError

_PATTERN = re.compile(
    r"^\s*(?:ap_)?(u?fixed)\s*<\s*(\d+)\s*,\s*(-?\d+)\s*(?:,\s*(?:AP_)?(\w+)\s*)?(?:,\s*(?:AP_)?(\w+)\s*)?(?:,\s*\d+\s*)?>\s*$"
)


@dataclass(frozen=True)
class FixedType:
    """A fixed-point type: `width` bits, `integer` of them before the binary point (sign included)."""

    width: int
    integer: int
    signed: bool = True
    rounding: str = "TRN"
    overflow: str = "WRAP"

    @classmethod
    def parse(cls, text: str) -> FixedType:
        """Parse 'ap_fixed<16,6>', 'ap_ufixed<8,3,AP_RND_CONV,AP_SAT>' or hls4ml's 'fixed<8,1,TRN,WRAP,0>'."""
        match = _PATTERN.match(str(text))
        if not match or int(match[2]) < 1:
            raise ConfigError(f"{text!r} is not a fixed-point type like ap_fixed<16,6> or ap_ufixed<8,3,AP_RND,AP_SAT>")
        return cls(
            int(match[2]), int(match[3]), match[1] == "fixed", (match[4] or "TRN").upper(), (match[5] or "WRAP").upper()
        )

    @property
    def fractional(self) -> int:
        return self.width - self.integer

    @property
    def lsb(self) -> float:
        return 2.0**-self.fractional

    @property
    def min_code(self) -> int:
        return -(2 ** (self.width - 1)) if self.signed else 0

    @property
    def max_code(self) -> int:
        return 2 ** (self.width - 1) - 1 if self.signed else 2**self.width - 1

    def to_codes(self, x: np.ndarray) -> np.ndarray:
        """Integer codes (value / lsb) after rounding and overflow handling, as int64."""
        scaled = np.asarray(x, dtype=np.float64) * 2.0**self.fractional
        if self.rounding == "TRN":
            codes = np.floor(scaled)
        elif self.rounding == "RND":  # round half up
            codes = np.floor(scaled + 0.5)
        elif self.rounding == "RND_CONV":  # round half to even
            codes = np.round(scaled)
        else:
            raise ConfigError(f"rounding mode {self.rounding} is not supported (TRN, RND, RND_CONV)")
        codes = codes.astype(np.int64)
        if self.overflow.startswith("SAT"):
            return np.clip(codes, self.min_code, self.max_code)
        span = 2**self.width
        return (codes - self.min_code) % span + self.min_code

    def quantize(self, x: np.ndarray) -> np.ndarray:
        """Values of ``x`` on this type's grid (float64)."""
        return self.to_codes(x).astype(np.float64) * self.lsb

    def __str__(self) -> str:
        kind = "ap_fixed" if self.signed else "ap_ufixed"
        return f"{kind}<{self.width},{self.integer},AP_{self.rounding},AP_{self.overflow}>"
