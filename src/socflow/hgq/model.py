"""The HGQ2 student in Keras 3 (imported only in the HGQ2 process, :func:`socflow.hgq.env.in_hgq`): its model,
its distillation from the teacher's stored logits, and what it costs (EBOPs, da4ml's cost of its traced design).

How a variant maps: `bits` is every weight's and bias's initial width (HGQ2's kbi quantizers, `integer_bits` their
initial integer part) and every activation's (kif: `student.activation_integer_bits` integer bits, the rest
fraction); training then moves each width, pulled down by `beta` times the EBOPs in the loss. Magnitude pruning
is not applied: a weight whose width reaches 0 bits is a pruned weight, so `sparsity` is what training reaches
(metrics.json: sparsity), not a target.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from hgq.config import LayerConfigScope, QuantizerConfigScope
from hgq.layers import QDense
from hgq.utils.sugar import FreeEBOPs

from socflow.hgq.keras3 import keras


def mlp(
    n_inputs: int, n_classes: int, layers: int, units: int, bits: int, integer_bits: int, relu_integer_bits: int,
    beta: float,
) -> Any:  # fmt: skip
    """A dense HGQ2 student: `layers` QDense of `units` (ReLU) and a QDense of logits, widths started at the
    variant's (module docstring), EBOPs in the loss with weight `beta`."""
    with (
        QuantizerConfigScope(place=("weight", "bias"), b0=bits, i0=integer_bits),
        QuantizerConfigScope(place="datalane", i0=relu_integer_bits, f0=bits - relu_integer_bits),
        LayerConfigScope(enable_ebops=True, beta0=beta),
    ):
        inputs = keras.Input((n_inputs,))
        x = inputs
        for _ in range(layers):
            x = QDense(units, activation="relu")(x)
        return keras.Model(inputs, QDense(n_classes)(x), name="hgq_student")


def fit(model: Any, loss: Any, metric: Any, data: dict[str, tuple[np.ndarray, np.ndarray]], lr: float,
        epochs: int, patience: int, batch_size: int) -> dict[str, list[float]]:  # fmt: skip
    """Train on data['train'] (targets: labels with the teacher's logits), stop early on data['val']'s loss and
    keep the best epoch's weights; the history."""
    model.compile(keras.optimizers.Adam(lr), loss=loss, metrics=[metric])
    stop = keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
    history = model.fit(*data["train"], validation_data=data["val"], epochs=epochs, batch_size=batch_size,
                        callbacks=[FreeEBOPs(), stop], verbose=2)  # fmt: skip
    return {k: [float(v) for v in values] for k, values in history.history.items()}


def ebops(model: Any) -> float:
    """The model's effective bit operations (HGQ2's resource estimate: the EBOPs term of the loss over beta)."""
    return float(sum(float(layer.ebops) for layer in model.layers if getattr(layer, "enable_ebops", False)))


def weight_report(model: Any) -> dict[str, Any]:
    """Parameters (kernels and biases: Keras's count_params adds HGQ2's width variables) and what the learned
    widths leave of them: nonzero quantized weights, total and mean bits."""
    kernels = [np.asarray(layer.qkernel) for layer in model.layers if hasattr(layer, "qkernel")]
    bits = [np.broadcast_to(np.asarray(layer.kq.bits), k.shape) for layer, k in
            zip([m for m in model.layers if hasattr(m, "qkernel")], kernels)]  # fmt: skip
    n = sum(k.size for k in kernels)
    nonzero = sum(int(np.count_nonzero(k)) for k in kernels)
    total_bits = float(sum(b.sum() for b in bits))
    return {
        "params": n + sum(int(np.size(layer.bias)) for layer in model.layers if getattr(layer, "use_bias", False)),
        "weights": n,
        "nonzero_params": nonzero,
        "sparsity": 1 - nonzero / n,
        "weight_bits": total_bits,
        "mean_weight_bits": total_bits / n,
    }


def da4ml_cost(model: Any) -> float:
    """da4ml's cost of the model's traced design at R = 1 (its adder graphs: the design rtl would build)."""
    from da4ml.converter import trace_model
    from da4ml.trace import comb_trace

    inputs, outputs = trace_model(model)
    return float(comb_trace(inputs, outputs).cost)


def save(model: Any, path: str | Path) -> None:
    """Save as a Keras 3 .keras file, atomically (Keras needs the suffix on the temporary name too)."""
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.tmp.keras")
    model.save(tmp)
    os.replace(tmp, path)
