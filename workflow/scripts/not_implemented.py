"""Script of every rule that is wired into the DAG but whose stage a later issue implements."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.stages import not_implemented

    not_implemented(snakemake.rule)
