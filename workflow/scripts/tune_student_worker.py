"""Rule tune_student_worker: one of a student search's parallel workers (search.workers > 1)."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.train.student import tune_student_worker

    tune_student_worker(**job(snakemake))
