"""Rule report: the paper's Table I from the metrics, simulation and synthesis reports."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.report.table1 import report

    report(**job(snakemake))
