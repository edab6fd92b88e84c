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


def test_golden_model_of_convolutions_equals_qkeras():
    """Conv1D on a plain signal (a Reshape adds its channel axis), 'same' and 'valid' padding, depthwise and
    1x1 convolutions, max-pools dropping a remainder row and column: the golden model gives QKeras's numbers."""
    from qkeras import QActivation, QConv1D, QConv2D, QDense, QDepthwiseConv2D, quantized_bits, quantized_relu

    q = {"kernel_quantizer": quantized_bits(8, 1, alpha=1), "bias_quantizer": quantized_bits(8, 1, alpha=1)}
    layers = keras.layers
    models = {
        (30,): [layers.Reshape((30, 1)), QConv1D(4, 5, padding="same", **q), QActivation(quantized_relu(8, 3)),
                layers.MaxPooling1D(2), layers.Flatten(), QDense(3, **q)],
        (7, 9, 2): [QConv2D(3, 3, padding="same", **q), QActivation(quantized_relu(8, 3)), layers.MaxPooling2D(2),
                    QDepthwiseConv2D(3, padding="same", depthwise_quantizer=q["kernel_quantizer"],
                                     bias_quantizer=q["bias_quantizer"]),
                    QActivation(quantized_relu(8, 3)), QConv2D(2, 1, padding="valid", **q),
                    QActivation(quantized_relu(8, 3)), layers.Flatten(), QDense(4, **q)],
    }  # fmt: skip
    in_type, rng = FixedType.parse("ap_fixed<8,1>"), np.random.default_rng(0)
    for shape, stack in models.items():
        inputs = keras.Input(shape)
        x = inputs
        for layer in stack:
            x = layer(x)
        model = keras.Model(inputs, x)
        model.set_weights([rng.normal(0, 0.5, w.shape) for w in model.get_weights()])
        xq = in_type.quantize(rng.uniform(-1, 1, (50, *shape)))
        golden = golden_predict(model, xq, in_type)
        assert golden.shape == (50, model.output_shape[-1])
        assert np.array_equal(golden, model.predict(xq.astype(np.float32), verbose=0).astype(np.float64))
