"""Rule train_teacher: train the teacher with the best hyperparameters found."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.train.teacher import train_teacher

    train_teacher(**job(snakemake))
