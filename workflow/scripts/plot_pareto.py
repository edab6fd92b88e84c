"""Rule plot_pareto: accuracy vs model size over the student variants."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.report.figures import pareto

    pareto(dict(zip(snakemake.params.variants, snakemake.input.metrics)), snakemake.output.plot)
