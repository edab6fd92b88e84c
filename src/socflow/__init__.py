"""socflow: compress a DNN classifier (teacher search, KD + quantization-aware pruning) and deploy it on an SoC/FPGA.

The package holds the logic of every stage of the Snakemake workflow; it imports without Snakemake
and without Keras (Keras is loaded lazily, through :mod:`socflow._keras`, by the stages that train).
"""

from pathlib import Path

__version__ = "0.1.0"

PACKAGE = Path(__file__).resolve().parent
# templates shipped as package data (Vivado Tcl, glue HDL, HLS top, firmware C, PYNQ driver, the config schema),
# found the same in an editable and in a regular install; `resources/` at the repository root links here
RESOURCES = PACKAGE / "resources"
