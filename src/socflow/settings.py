"""The config's sections as every stage receives them: typed, and parsed once.

`socflow.config` validates the user's config against `config/schema.yaml`, fills the schema's defaults and puts
it in canonical form before any rule runs; each rule then gets only its own sections as `params`. These types
name the keys of those sections (tests/test_config.py checks them against the schema, so they cannot drift
from it). They are TypedDicts, not classes with behaviour, because a rule's params must stay plain JSON values:
Snakemake compares them between runs to decide what to rerun, and a stage called from a test or a benchmark
takes the same plain dicts.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict


class Dataset(TypedDict, total=False):
    """`dataset`: where the samples come from (a built-in generator, or a user file or folder)."""

    kind: Literal["pulses", "digits", "npz", "csv", "h5", "images"]
    path: str
    n_per_class: int
    class_weights: list[float]
    noise_sigma: float
    seed: int
    x_key: str
    y_key: str
    label_column: str
    image_size: list[int]
    color_mode: Literal["grayscale", "rgb"]


class Split(TypedDict):
    """`split`: the stratified, seeded fractions of the dataset."""

    train: float
    val: float
    test: float
    seed: int


class Normalize(TypedDict):
    """`normalize`: the scaling fitted on the training part."""

    method: Literal["minmax", "standard", "none"]
    per_feature: bool


class Search(TypedDict):
    """`teacher.search`, `student.search`: the BO budget (initial_points None: scaled to the trials,
    socflow.train.trials.default_initial_points)."""

    trials: int
    epochs: int
    patience: int
    batch_size: int
    initial_points: int | None
    seed: int
    objective: Literal["accuracy", "pareto"]
    workers: int


class Teacher(TypedDict):
    """`teacher`: the floating-point hypermodel searched with BO, or a pretrained .h5."""

    pretrained: str | None
    fine_tune_epochs: int
    model: str
    weights: str | None
    freeze_epochs: int
    fine_tune_learning_rate: float
    layers: int
    units: list[int]
    learning_rates: list[float]
    search: Search


class Variant(TypedDict):
    """One of `student.variants`: the quantization and the sparsity of a compressed student."""

    bits: int
    integer_bits: int
    sparsity: float


class Select(TypedDict):
    """`student.select`: how a Pareto search's deployed student is taken from its front (socflow.train.front)."""

    rule: Literal["accurate", "smallest_within", "trial"]
    points: float
    trial: int | None


class Student(TypedDict, total=False):
    """`student` (its `variants` go to the rules one at a time): the hypermodel and its KD settings, a value or
    a list the search chooses from."""

    variants: list[Variant]
    model: str  # mlp, cnn, vgg, mobilenet or a user's module:function
    layers: int | list[int]
    units: list[int]
    activation_integer_bits: int
    learning_rates: list[float]
    alpha: float | list[float]
    temperature: float | list[float]
    kd: Literal["hinton", "standardized", "scaled", "dkd"] | list[Literal["hinton", "standardized", "scaled", "dkd"]]
    quantizer: Literal["qkeras", "hgq"]
    beta: float | list[float]
    search: Search
    select: Select


class BudgetSettings(TypedDict, total=False):
    """`hls.targets[].budget`: the limits a budgeted search fits its student in (socflow.budget parses them)."""

    lut: float
    ff: float
    dsp: float
    bram_18k: float
    latency_clocks: int
    latency_ns: float
    min_throughput: float
    margin: float | None
    reserve: dict[str, int]


class Target(TypedDict, total=False):
    """One of `hls.targets`: a part at a clock, how the student is laid out on it (a reuse factor, or a list the
    budgeted search chooses from) and, optionally, the budget it must fit."""

    name: str
    part: str
    board: str
    clock_period: float
    reuse_factor: int | list[int]
    rtl_architecture: Literal["auto", "stream"]
    strategy: Literal["Latency", "Resource"]
    io_type: Literal["io_parallel", "io_stream"]
    budget: BudgetSettings


class Hls(TypedDict):
    """`hls`: hls4ml's settings (its `targets` go to the rules one at a time)."""

    backend: Literal["Vitis", "Vivado"]
    default_precision: str
    input_precision: str | list[str]
    csim_min_agreement: float
    input_max_accuracy_loss: float
    input_accuracy_check: Literal["fail", "warn"]
    targets: list[Target]


class Rtl(TypedDict):
    """`rtl`: the open RTL path (socflow.rtl.designs: da4ml's parallel, socflow's folded, streaming, conv designs)."""

    enabled: bool
    latency_cutoff: float | None
    sim_min_agreement: float
    timing: Literal["fail", "warn"]
    timing_slack: float
    pnr_seeds: list[int]  # a count in the config, its seeds once validated (socflow.config.pnr_seeds)


class BoardSettings(TypedDict):
    """`board`: the assessment framework on the (emulated) board."""

    backends: list[Literal["emulated", "soc_sim", "pynq"]]
    ip: Literal["auto", "rtl", "hls"]
    min_agreement: float
    send_scores: bool
    fifo_depth: int
    comblock_repo: str | None
    soc_bitstream: bool
    soc_clock_mhz: float
    firmware_samples: int


class Experiment(TypedDict):
    """One of `experiments`: every section above, for one dataset."""

    dataset: Dataset
    split: Split
    normalize: Normalize
    teacher: Teacher
    student: Student
    hls: Hls
    rtl: Rtl
    board: BoardSettings


SECTIONS: dict[str, Any] = {
    "experiment": Experiment,
    "dataset": Dataset,
    "split": Split,
    "normalize": Normalize,
    "search": Search,
    "teacher": Teacher,
    "student": Student,
    "hls": Hls,
    "budget": BudgetSettings,
    "rtl": Rtl,
    "board": BoardSettings,
}  # the schema's $defs, each with its type
