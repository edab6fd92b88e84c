"""Rule tune_teacher: Bayesian optimisation of the teacher hypermodel (resumable)."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.train.teacher import tune_teacher

    tune_teacher(
        dict(snakemake.input.items()),
        snakemake.params.teacher,
        snakemake.params.state,
        dict(snakemake.output.items()),
        snakemake.threads,
    )
