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


# The quantization modes of ap_fixed (Vitis HLS's UG1399; hls4ml's RoundingMode and SaturationMode), each rounding
# one as what it does to a value already scaled to units of the LSB.
ROUNDING = {
    "TRN": np.floor,  # toward minus infinity
    "TRN_ZERO": np.trunc,  # toward zero
    "RND": lambda v: np.floor(v + 0.5),  # half toward plus infinity
    "RND_ZERO": lambda v: np.sign(v) * np.ceil(np.abs(v) - 0.5),  # half toward zero
    "RND_INF": lambda v: np.sign(v) * np.floor(np.abs(v) + 0.5),  # half away from zero
    "RND_MIN_INF": lambda v: np.ceil(v - 0.5),  # half toward minus infinity
    "RND_CONV": np.round,  # half to even
}
OVERFLOW = ("WRAP", "SAT", "SAT_ZERO", "SAT_SYM")  # SAT_ZERO: an overflow gives 0; SAT_SYM: -max..max


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
        rounding, overflow = (match[4] or "TRN").upper(), (match[5] or "WRAP").upper()
        for mode, known, what in ((rounding, ROUNDING, "rounding"), (overflow, OVERFLOW, "overflow")):
            if mode not in known:
                choices = ", ".join(f"AP_{m}" for m in known)
                raise ConfigError(f"{text!r}: AP_{mode} is not an ap_fixed {what} mode; choose one of {choices}")
        return cls(int(match[2]), int(match[3]), match[1] == "fixed", rounding, overflow)

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
        codes = ROUNDING[self.rounding](np.asarray(x, dtype=np.float64) * 2.0**self.fractional).astype(np.int64)
        low = -self.max_code if self.overflow == "SAT_SYM" and self.signed else self.min_code
        if self.overflow == "WRAP":
            return (codes - self.min_code) % 2**self.width + self.min_code
        if self.overflow == "SAT_ZERO":
            return np.where((codes < low) | (codes > self.max_code), 0, codes)
        return np.clip(codes, low, self.max_code)

    def quantize(self, x: np.ndarray) -> np.ndarray:
        """Values of ``x`` on this type's grid (float64)."""
        return self.to_codes(x).astype(np.float64) * self.lsb

    @property
    def spelled(self) -> str:
        """The type's one spelling: ap_fixed or ap_ufixed, no spaces, the modes in AP_ form and left out where they are
        the defaults (AP_TRN, AP_WRAP): 'ap_fixed<16, 6>' and 'fixed<16,6,TRN>' are 'ap_fixed<16,6>'. A config's
        types are written so before they become params, which Snakemake compares as text."""
        modes = (
            [self.rounding, self.overflow] if self.overflow != "WRAP" else [self.rounding] * (self.rounding != "TRN")
        )
        kind = "ap_fixed" if self.signed else "ap_ufixed"
        return f"{kind}<{','.join([str(self.width), str(self.integer), *(f'AP_{m}' for m in modes)])}>"

    def __str__(self) -> str:
        kind = "ap_fixed" if self.signed else "ap_ufixed"
        return f"{kind}<{self.width},{self.integer},AP_{self.rounding},AP_{self.overflow}>"
