"""Rule plot_budget: the budgeted student search's trials against the budget."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.budget import budget_of
    from socflow.report.figures import budget_search

    budget_search(
        snakemake.input.trials,
        snakemake.input.hparams,
        budget_of(snakemake.params.target).limits,
        snakemake.output.plot,
    )
