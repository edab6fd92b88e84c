"""Rule tune_teacher: Bayesian optimisation of the teacher hypermodel (resumable)."""

from socflow.smk import log_to
from socflow.teacher import tune_teacher

with log_to(snakemake.log[0]):
    tune_teacher(
        dict(snakemake.input.items()),
        snakemake.params.teacher,
        snakemake.params.state,
        dict(snakemake.output.items()),
        snakemake.threads,
    )
