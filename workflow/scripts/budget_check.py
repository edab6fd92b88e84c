"""Rule budget_check: the chosen student's synthesized design against its target's budget."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.rtl.budget import budget_check

    budget_check(**job(snakemake))
