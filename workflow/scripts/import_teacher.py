"""Rule import_teacher: check, optionally fine-tune, and evaluate a pretrained teacher."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.train.teacher import import_teacher

    import_teacher(**job(snakemake))
