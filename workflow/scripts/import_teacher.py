"""Rule import_teacher: check, optionally fine-tune, and evaluate a pretrained teacher."""

from socflow.smk import log_to
from socflow.teacher import import_teacher

with log_to(snakemake.log[0]):
    import_teacher(
        dict(snakemake.input.items()),
        snakemake.params.teacher,
        snakemake.input.pretrained,
        dict(snakemake.output.items()),
        snakemake.threads,
    )
