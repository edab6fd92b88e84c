"""Rule train_student: distil the teacher into the pruned, quantized student and save it for hls4ml."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.train.student import train_student

    train_student(
        dict(snakemake.input.items()),
        snakemake.input.teacher,
        snakemake.input.teacher_metrics,
        snakemake.params.student,
        snakemake.params.variant,
        snakemake.input.hparams,
        dict(snakemake.output.items()),
        snakemake.threads,
        budget=snakemake.params.budget,
    )
