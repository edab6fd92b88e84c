"""Rule teacher_logits: the teacher's logits on train, val and test, once, for distillation from stored logits."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.train.logits import teacher_logits

    teacher_logits(**job(snakemake))
