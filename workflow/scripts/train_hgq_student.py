"""Rule train_hgq_student: an HGQ2 student (student.quantizer: hgq) distilled from the teacher's stored logits."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.hgq.student import train_hgq_student

    train_hgq_student(**job(snakemake))
