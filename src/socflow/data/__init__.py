"""Datasets (built-in generators and user files), their checks, and the prepare_data stage."""

from socflow.data.prepare import load_dataset, prepare_data

__all__ = ["load_dataset", "prepare_data"]
