"""socflow: compress a DNN classifier (teacher search, KD + quantization-aware pruning) and deploy it on an SoC/FPGA.

The package holds the logic of every stage of the Snakemake workflow; it imports without Snakemake
and without Keras (Keras is loaded lazily, through :mod:`socflow._keras`, by the stages that train).
"""

__version__ = "0.1.0"
