"""Rule rtl_generate: pipelined Verilog of the student (da4ml)."""

from socflow.smk import deployed, deployed_input, log_to

with log_to(snakemake.log[0]):
    from socflow.rtl.generate import rtl_generate

    rtl_generate(
        snakemake.input.model,
        deployed_input(snakemake),
        deployed(snakemake),
        snakemake.params.rtl,
        snakemake.output,
    )
