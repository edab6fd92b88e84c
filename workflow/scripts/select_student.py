"""Rule select_student: a Pareto search's front, its figure and the student taken from it (student.select)."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.train.front import select_student

    select_student(**job(snakemake))
