"""Your own student hypermodel (student.model: 'config.examples.students:bottleneck_mlp'): a QKeras model built
from keras-tuner's `hp`, the input shape and the number of classes, with logits out. The workflow prunes its weight
layers to the variant's sparsity, distils the teacher into it and builds it on the RTL path where every layer maps
(QDense / QConv with quantized_bits weights and quantized_relu activations), else as the HLS IP.

Its quantizers are its own: here 8-bit weights (no integer bits) and 8-bit ReLUs with 3 integer bits, the
variant `{bits: 8}` of config/examples/own_student.yaml."""

from socflow._keras import keras


def bottleneck_mlp(hp, input_shape, n_classes):
    """A wide first layer, a narrow second (searched), then the classifier."""
    from qkeras import QActivation, QDense, quantized_bits, quantized_relu

    weights = quantized_bits(8, 0, alpha=1)
    quant = {"kernel_quantizer": weights, "bias_quantizer": weights}
    inputs = keras.Input(tuple(input_shape))
    x = keras.layers.Flatten()(inputs) if len(input_shape) > 1 else inputs
    x = QDense(hp.Int("wide", 8, 24, step=4), name="qdense_wide", **quant)(x)
    x = QActivation(quantized_relu(8, 3), name="qrelu_wide")(x)
    x = QDense(hp.Choice("narrow", [2, 4, 6]), name="qdense_narrow", **quant)(x)
    x = QActivation(quantized_relu(8, 3), name="qrelu_narrow")(x)
    return keras.Model(inputs, QDense(n_classes, name="logits", **quant)(x), name="bottleneck_mlp")
