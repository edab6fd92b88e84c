"""Rule vivado_bitstream: Vivado builds the assessment design; .bit, .hwh, .xsa and post-route reports."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.vivado.bitstream import vivado_bitstream

    vivado_bitstream(snakemake.input.project, snakemake.params.target, snakemake.params.board, snakemake.output)
