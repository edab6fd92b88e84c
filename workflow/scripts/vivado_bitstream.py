"""Rule vivado_bitstream: Vivado builds the assessment design; .bit, .hwh, .xsa and post-route reports."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.vivado.bitstream import vivado_bitstream

    vivado_bitstream(**job(snakemake))
