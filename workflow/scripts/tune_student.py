"""Rule tune_student: BO over the student space, each trial trained with KD + quantization-aware pruning."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.train.student import tune_student

    tune_student(**job(snakemake))
