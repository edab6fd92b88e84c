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


class ModelError(SocflowError):
    """A model a stage cannot take: a layer or quantizer without a mapping to the stage's hardware form."""


class ReportError(SocflowError):
    """A tool report that is missing or lacks what socflow reads from it."""


class ToolError(SocflowError):
    """An external tool (compiler, simulator, synthesis) that ran and failed; the message ends with its log's tail."""


class BudgetError(SocflowError):
    """No student of a budgeted search fits its budget, or the chosen one's synthesized design does not."""
