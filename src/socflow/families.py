"""The model families and built-in datasets socflow knows by name: the tables the config checks and the model
builders share (without TensorFlow, so the config can be checked before any job at Snakemake's start)."""

from __future__ import annotations

# (sample shape, classes) of the built-in datasets (socflow.data: the pulses' samples, the digits' 8x8 pixels; a test
# checks them against the generators)
BUILT_IN_SHAPES: dict[str, tuple[tuple[int, ...], int]] = {"pulses": ((30,), 4), "digits": ((8, 8, 1), 10)}
SIGNALS = {"pulses"}  # the built-in datasets of 1D signals (the digits are 8x8 images)
IMAGE_STUDENTS = {"vgg", "mobilenet"}  # the student families that convolve images only


def is_user_model(model: str) -> bool:
    """Whether a teacher's or student's `model` names a user's hypermodel (module:function, the schema's pattern),
    not a family socflow builds."""
    return ":" in model


# keras.applications backbones by the name teacher.model gives: (class, smallest input side, Keras's weights file
# without the classifier, which teacher.weights names on this machine)
APPLICATIONS = {
    "mobilenetv2": ("MobileNetV2", 32, "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"),
    "vgg16": ("VGG16", 32, "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"),
}
