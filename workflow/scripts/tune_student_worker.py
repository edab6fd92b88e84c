"""Rule tune_student_worker: one of a student search's parallel workers (search.workers > 1)."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.train.student import tune_student_worker

    tune_student_worker(
        dict(snakemake.input.items()),
        snakemake.input.teacher,
        snakemake.params.student,
        snakemake.params.variant,
        snakemake.params.state,
        int(snakemake.wildcards.worker),
        snakemake.output[0],
        snakemake.threads,
        budget=snakemake.params.budget,
    )
