"""socflow's own exceptions: each names the file, config key or tool at fault and what to do about it."""


class SocflowError(Exception):
    """Base of every error socflow raises on purpose."""


class ConfigError(SocflowError):
    """A config value that the schema cannot express as invalid (e.g. a split that does not sum to 1)."""


class DataError(SocflowError):
    """A dataset that cannot be used: missing file, wrong shape, NaN/inf, bad labels, too few samples."""


class ToolNotFoundError(SocflowError):
    """A vendor tool (vitis-run, vivado_hls, vivado) that a stage needs is not on PATH."""


class HardwareMismatchError(SocflowError):
    """A hardware step (C simulation, RTL simulation, board) answers differently from the model it came from."""


class InputPrecisionError(SocflowError):
    """The IP's input type costs the student more test accuracy than hls.input_max_accuracy_loss allows."""


class ModelError(SocflowError):
    """A model a stage cannot take: a layer or quantizer without a mapping to the stage's hardware form."""


class ReportError(SocflowError):
    """A tool report that is missing or lacks what socflow reads from it."""


class ToolError(SocflowError):
    """An external tool (compiler, simulator, synthesis) that ran and failed; the message ends with its log's tail."""


class ProjectError(SocflowError):
    """A generated project (RTL, hls4ml, an exported IP, Vivado) that lacks files or fails its checks."""


class SearchError(SocflowError):
    """A hyperparameter search with no completed trial (every trial failed, or its workers never ran)."""


class BoardError(SocflowError):
    """The board, real or emulated, or its firmware does not behave as the protocol says (a full FIFO, an answer
    that never arrives, a register that does not exist)."""


class KerasSetupError(SocflowError, ImportError):
    """Keras is not the Keras 2 (tf_keras) that QKeras, keras-tuner and hls4ml need, when socflow is imported."""


class BudgetError(SocflowError):
    """No student of a budgeted search fits its budget, or the chosen one's synthesized design does not."""


class TimingError(SocflowError):
    """A design that, placed and routed, does not reach its target's clock."""
