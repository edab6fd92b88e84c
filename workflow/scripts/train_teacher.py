"""Rule train_teacher: train the teacher with the best hyperparameters found."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.train.teacher import train_teacher

    train_teacher(
        dict(snakemake.input.items()),
        snakemake.params.teacher,
        snakemake.input.hparams,
        dict(snakemake.output.items()),
        snakemake.threads,
    )
