"""Rule plot_budget: the budgeted student search's trials against the budget."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.report.plots import plot_budget

    plot_budget(**job(snakemake))
