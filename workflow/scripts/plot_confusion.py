"""Rule plot_confusion: the student's confusion matrix beside those of its C simulation and RTL simulation."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.report.plots import plot_confusion

    plot_confusion(**job(snakemake))
