"""Rule tune_student: BO over the student space, each trial trained with KD + quantization-aware pruning."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.train.student import tune_student

    tune_student(
        dict(snakemake.input.items()),
        snakemake.input.teacher,
        snakemake.params.student,
        snakemake.params.variant,
        snakemake.params.state,
        dict(snakemake.output.items()),
        snakemake.threads,
        budget=snakemake.params.budget,
    )
