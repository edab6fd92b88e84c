"""Rule tune_teacher: Bayesian optimisation of the teacher hypermodel (resumable)."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.train.teacher import tune_teacher

    tune_teacher(**job(snakemake))
