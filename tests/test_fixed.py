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


@pytest.mark.parametrize(
    "text,spelled",
    [
        ("ap_fixed<16, 6>", "ap_fixed<16,6>"),
        ("fixed<16,6,TRN,WRAP,0>", "ap_fixed<16,6>"),
        ("ap_ufixed<8,3,AP_RND>", "ap_ufixed<8,3,AP_RND>"),
        ("ap_fixed<8,3,trn,sat>", "ap_fixed<8,3,AP_TRN,AP_SAT>"),
        ("ufixed<8,3,RND_CONV,SAT,0>", "ap_ufixed<8,3,AP_RND_CONV,AP_SAT>"),
    ],
)
def test_a_type_has_one_spelling(text, spelled):
    assert FixedType.parse(text).spelled == spelled
    assert FixedType.parse(spelled) == FixedType.parse(text)


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


def test_every_mode_hls4ml_knows_is_parsed_and_an_unknown_one_is_named():
    from hls4ml.model.types import RoundingMode, SaturationMode

    from socflow.fixed import OVERFLOW, ROUNDING

    assert set(ROUNDING) == {m.name for m in RoundingMode}
    assert set(OVERFLOW) == {m.name for m in SaturationMode}
    assert FixedType.parse("ap_fixed<8,3,AP_RND_INF,AP_SAT_SYM>") == FixedType(8, 3, True, "RND_INF", "SAT_SYM")
    with pytest.raises(ConfigError, match="AP_FOO is not an ap_fixed rounding mode; choose one of AP_TRN, "):
        FixedType.parse("ap_fixed<16,6,AP_FOO>")
    with pytest.raises(ConfigError, match="AP_SATURATE is not an ap_fixed overflow mode"):
        FixedType.parse("ap_fixed<16,6,AP_RND,AP_SATURATE>")


def test_the_other_rounding_modes_at_ties_and_between_them():
    values = np.array([0.5, 1.5, -0.5, -1.5, 0.25, -0.75]) / 32
    codes = {mode: FixedType(8, 3, True, mode).to_codes(values).tolist()
             for mode in ("TRN_ZERO", "RND_ZERO", "RND_INF", "RND_MIN_INF")}  # fmt: skip
    assert codes["TRN_ZERO"] == [0, 1, 0, -1, 0, 0]
    assert codes["RND_ZERO"] == [0, 1, 0, -1, 0, -1]
    assert codes["RND_INF"] == [1, 2, -1, -2, 0, -1]
    assert codes["RND_MIN_INF"] == [0, 1, -1, -2, 0, -1]


def test_saturation_to_zero_and_symmetric():
    assert FixedType(4, 4, True, "TRN", "SAT_ZERO").to_codes(np.array([9.0, -9.0, 7.0])).tolist() == [0, 0, 7]
    assert FixedType(4, 4, True, "TRN", "SAT_SYM").to_codes(np.array([9.0, -9.0, -8.0])).tolist() == [7, -7, -7]
