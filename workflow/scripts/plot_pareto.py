"""Rule plot_pareto: accuracy vs model size over the student variants."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.report.plots import plot_pareto

    plot_pareto(**job(snakemake))
