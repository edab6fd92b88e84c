"""Rule tune_teacher_worker: one of the teacher search's parallel workers (search.workers > 1)."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.train.teacher import tune_teacher_worker

    tune_teacher_worker(**job(snakemake))
