"""Rule plot_pareto: accuracy vs model size over the student variants."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.student import pareto_plot

    pareto_plot(dict(zip(snakemake.params.variants, snakemake.input.metrics)), snakemake.output.plot)
