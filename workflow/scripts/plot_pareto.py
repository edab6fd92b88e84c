"""Rule plot_pareto: accuracy vs model size over the student variants."""

from socflow.smk import log_to
from socflow.student import pareto_plot

with log_to(snakemake.log[0]):
    pareto_plot(dict(zip(snakemake.params.variants, snakemake.input.metrics)), snakemake.output.plot)
