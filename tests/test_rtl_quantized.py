"""The golden fixed-point model of the RTL: ties rounded half to even as QKeras does."""

from __future__ import annotations

from socflow._keras import keras

import numpy as np

from conftest import (
    tie_model,
)
from socflow.fixed import FixedType
from socflow.rtl.parallel import trace_student
from socflow.rtl.quantized import golden_predict


def golden_weights(model: keras.Model, name: str) -> tuple[np.ndarray, np.ndarray]:
    from socflow.rtl.quantized import dense_constants

    return dense_constants(model.get_layer(name))


def test_ties_round_half_to_even_like_qkeras():
    from da4ml.trace import FixedVariableArrayInput, comb_trace
    from da4ml.trace.ops import quantize

    model, in_type = tie_model(), FixedType.parse("ap_fixed<8,7>")
    x = in_type.quantize(np.random.default_rng(1).integers(-16, 16, (2000, 4)) / 2)
    hidden = x @ golden_weights(model, "hidden")[0] + golden_weights(model, "hidden")[1]
    ties = np.isclose((hidden * 32) % 1, 0.5) & (hidden > 0) & (hidden < 8)
    assert ties.sum() > 1000  # the test exercises ties (about 1 activation in 9 here)
    golden = golden_predict(model, x, in_type)
    assert np.array_equal(golden, model.predict(x.astype(np.float32), verbose=0).astype(np.float64))
    assert np.array_equal(trace_student(model, in_type).predict(x), golden)
    # da4ml's own half-up rounding would not do: the emulation is what makes it exact
    inp = FixedVariableArrayInput((4,))
    w1, b1 = golden_weights(model, "hidden")
    w2, b2 = golden_weights(model, "logits")
    h = quantize(quantize(inp, 1, 6, 1) @ w1 + b1, 0, 3, 5, "SAT", "RND")
    assert not np.array_equal(comb_trace(inp, h @ w2 + b2).predict(x), golden)
