"""Datasets (built-in generators and user files), their checks, and the prepare_data stage."""

from socflow.data.prepare import check_source, check_sources, load_dataset, prepare_data, scaled_range

__all__ = ["check_source", "check_sources", "load_dataset", "prepare_data", "scaled_range"]
