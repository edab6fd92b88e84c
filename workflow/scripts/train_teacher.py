"""Rule train_teacher: train the teacher with the best hyperparameters found."""

from socflow.smk import log_to
from socflow.teacher import train_teacher

with log_to(snakemake.log[0]):
    train_teacher(
        dict(snakemake.input.items()),
        snakemake.params.teacher,
        snakemake.input.hparams,
        dict(snakemake.output.items()),
        snakemake.threads,
    )
