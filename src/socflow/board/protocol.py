"""socflow's stream protocol between the processor and the inference IP, defined once per model and target
and written as protocol.json (driver, emulator), protocol.h (firmware) and Verilog parameters (wrapper).

Per inference the processor writes `n_inputs` words to ComBlock's OUT_FIFO, one sample each: the sample's
fixed-point code (the input type of the IP, two's complement) in the low `input_width` bits. The IP answers in
ComBlock's IN_FIFO with one word, the class index (argmax, lowest index on ties), then, with `send_scores`, one
word per class: the score's fixed-point code sign-extended to 32 bits. `drain_words` zero words follow every
frame for IPs that need them; with `lag_frames` > 0 an IP answers a frame only after that many more frames
arrived (its pipeline moves only on new input), so the host writes ahead and ends with as many zero frames.
socflow's own wrappers need neither. Bit 0 of ComBlock output register `reset_register` holds the IP in reset.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from socflow.errors import ConfigError
from socflow.fixed import FixedType
from socflow.io import atomic_path, read_json, write_json

MASK32 = 0xFFFF_FFFF
CORES = {False: "vector", True: "serial"}  # socflow's folded cores by whether they take their input serially


@dataclass(frozen=True)
class Protocol:
    n_inputs: int
    input_type: str
    n_classes: int
    score_width: int
    score_fractional: int
    send_scores: bool = True
    latency_clocks: int = 0
    reset_register: int = 0
    drain_words: int = 0
    lag_frames: int = 0
    # the RTL behind socflow_stream: parallel (da4ml's, no strobe), or socflow's folded core started by a strobe
    # with the whole input (vector) or taking it one value per strobe (serial)
    core: str = "parallel"

    def __post_init__(self) -> None:
        width = FixedType.parse(self.input_type).width
        if not 1 <= width <= 32 or not 1 <= self.score_width <= 32:
            raise ConfigError(
                f"protocol: input ({width} bits) and score ({self.score_width} bits) codes must fit a 32-bit word"
            )

    @property
    def input_fixed(self) -> FixedType:
        return FixedType.parse(self.input_type)

    @property
    def words_out(self) -> int:
        """Words the IP answers per inference."""
        return 1 + (self.n_classes if self.send_scores else 0)

    def encode(self, x: np.ndarray) -> np.ndarray:
        """FIFO words (uint32, shape (n, n_inputs)) of samples, put on the input type's grid as in training."""
        codes = self.input_fixed.to_codes(np.asarray(x).reshape(len(x), -1))
        if codes.shape[1] != self.n_inputs:
            raise ConfigError(f"protocol: samples have {codes.shape[1]} values, the IP takes {self.n_inputs}")
        return (codes & MASK32).astype(np.uint32)

    def decode(self, answers: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(classes, scores as numbers) from the answer words, shape (n, words_out)."""
        answers = np.asarray(answers, dtype=np.int64)
        classes = answers[:, 0]
        if not self.send_scores:
            return classes, None
        codes = answers[:, 1:] & MASK32
        codes = np.where(codes >= 2**31, codes - 2**32, codes)
        return classes, codes.astype(np.float64) * 2.0**-self.score_fractional

    def write(self, path: str | Path) -> None:
        write_json(path, dataclasses.asdict(self))

    @classmethod
    def read(cls, path: str | Path) -> Protocol:
        return cls(**read_json(path))

    @classmethod
    def for_rtl(cls, rtl: dict[str, Any], send_scores: bool) -> Protocol:
        """The protocol of socflow's stream wrapper around the RTL described by rtl.json."""
        return cls(
            n_inputs=rtl["n_inputs"],
            input_type=rtl["input_type"],
            n_classes=rtl["n_outputs"],
            score_width=rtl["output_width"],
            score_fractional=rtl["output_fractional"],
            send_scores=send_scores,
            latency_clocks=rtl["latency_clocks"],
            core="parallel" if rtl.get("architecture", "parallel") == "parallel" else CORES[rtl["serial_input"]],
        )

    @classmethod
    def for_csim(cls, csim: dict[str, Any], input_shape: list[int], n_classes: int, send_scores: bool) -> Protocol:
        """The protocol of the hls4ml IP behind socflow's wrapper, from csim.json (its input and output types)."""
        out = FixedType.parse(csim["output_type"])
        return cls(
            n_inputs=int(np.prod(input_shape)),
            input_type=csim["input_type"],
            n_classes=n_classes,
            score_width=out.width,
            score_fractional=out.fractional,
            send_scores=send_scores,
        )

    def c_header(self) -> str:
        """protocol.h for the bare-metal firmware."""
        fixed = self.input_fixed
        return "\n".join(
            [
                "/* socflow stream protocol, generated from the model and target: do not edit. */",
                "#ifndef SOCFLOW_PROTOCOL_H",
                "#define SOCFLOW_PROTOCOL_H",
                "",
                f"#define SF_N_INPUTS {self.n_inputs}  /* words per inference, one sample each */",
                f"#define SF_INPUT_WIDTH {fixed.width}  /* {fixed}: code in bits [{fixed.width - 1}:0] */",
                f"#define SF_INPUT_FRACTIONAL {fixed.fractional}",
                f"#define SF_N_CLASSES {self.n_classes}",
                f"#define SF_SEND_SCORES {int(self.send_scores)}",
                f"#define SF_WORDS_OUT {self.words_out}  /* class index, then the scores if SF_SEND_SCORES */",
                f"#define SF_SCORE_FRACTIONAL {self.score_fractional}",
                f"#define SF_RESET_REGISTER {self.reset_register}  /* ComBlock OREG index, bit 0 = reset */",
                f"#define SF_DRAIN_WORDS {self.drain_words}",
                "",
                "#endif",
                "",
            ]
        )


def board_protocol(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> Protocol:
    """Stage board_protocol: the protocol of this model and target, as JSON (outputs['json'], host) and C header
    (outputs['header'], firmware); from inputs['ip_json'], rtl.json (the RTL behind socflow_stream) or csim.json
    (the hls4ml IP), with params `board`."""
    ip, summary, board = read_json(inputs["ip_json"]), read_json(inputs["summary"]), params["board"]
    if "latency_clocks" in ip:
        protocol = Protocol.for_rtl(ip, board["send_scores"])
    else:
        protocol = Protocol.for_csim(ip, summary["input_shape"], len(summary["class_names"]), board["send_scores"])
    protocol.write(outputs["json"])
    with atomic_path(outputs["header"]) as tmp:
        tmp.write_text(protocol.c_header())
    return protocol
