"""Rule train_student: distil the teacher into the pruned, quantized student and save it for hls4ml."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.train.student import train_student

    train_student(**job(snakemake))
