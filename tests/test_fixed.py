"""Fixed-point types: parsing, grids, rounding at ties and overflow, as ap_fixed defines them."""

import numpy as np
import pytest

from socflow.errors import ConfigError
from socflow.fixed import FixedType


@pytest.mark.parametrize(
    "text,expected",
    [
        ("ap_fixed<16,6>", FixedType(16, 6)),
        ("ap_ufixed<8,3,AP_RND_CONV,AP_SAT>", FixedType(8, 3, False, "RND_CONV", "SAT")),
        ("fixed<8,1,TRN,WRAP,0>", FixedType(8, 1)),
        ("ufixed<8,3,RND_CONV,SAT,0>", FixedType(8, 3, False, "RND_CONV", "SAT")),
        (" ap_fixed< 21 , 9 > ", FixedType(21, 9)),
    ],
)
def test_parse(text, expected):
    assert FixedType.parse(text) == expected
    assert FixedType.parse(str(expected)) == expected  # round trip


@pytest.mark.parametrize("text", ["float", "ap_int<8>", "ap_fixed<0,0>", "fixed<8>"])
def test_bad_types_are_named(text):
    with pytest.raises(ConfigError, match="not a fixed-point type"):
        FixedType.parse(text)


def test_grid_and_truncation_toward_minus_infinity():
    t = FixedType(8, 3)  # lsb 1/32, range [-4, 4 - 1/32]
    assert t.lsb == 1 / 32
    assert t.quantize(np.array([0.04, -0.01, 1.0]))[:3].tolist() == [1 / 32, -1 / 32, 1.0]


def test_rounding_modes_at_exact_ties():
    ties = np.array([0.5, 1.5, 2.5, -0.5, -1.5]) / 32
    codes = {mode: FixedType(8, 3, True, mode, "SAT").to_codes(ties).tolist() for mode in ("TRN", "RND", "RND_CONV")}
    assert codes["TRN"] == [0, 1, 2, -1, -2]
    assert codes["RND"] == [1, 2, 3, 0, -1]  # half up (toward +infinity)
    assert codes["RND_CONV"] == [0, 2, 2, 0, -2]  # half to even


def test_saturation_and_wrap_around():
    signed_sat = FixedType(4, 4, True, "TRN", "SAT")
    assert signed_sat.to_codes(np.array([9.0, -9.0])).tolist() == [7, -8]
    signed_wrap = FixedType(4, 4)
    assert signed_wrap.to_codes(np.array([8.0, 9.0, -9.0])).tolist() == [-8, -7, 7]
    unsigned_sat = FixedType(3, 3, False, "TRN", "SAT")
    assert unsigned_sat.to_codes(np.array([-1.0, 9.0])).tolist() == [0, 7]
