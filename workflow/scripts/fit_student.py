"""Rule fit_student: the search's candidates synthesized until one fits the budget by Yosys (chosen.json)."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.train.fitting import fit_student

    fit_student(**job(snakemake))
