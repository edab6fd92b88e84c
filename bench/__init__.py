"""socflow's benchmarks: scripts that measure what the docs report (docs/benchmarks.md), one entry point for them
(`python -m bench`, bench/suite.py) and their stored results (bench/results/). A package so that `python -m bench`
finds its entry point; each script still runs alone as `python bench/NAME.py`."""
