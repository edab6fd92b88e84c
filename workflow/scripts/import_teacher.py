"""Rule import_teacher: check, optionally fine-tune, and evaluate a pretrained teacher."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.train.teacher import import_teacher

    import_teacher(
        dict(snakemake.input.items()),
        snakemake.params.teacher,
        snakemake.input.pretrained,
        dict(snakemake.output.items()),
        snakemake.threads,
    )
