"""Rule rtl_generate: pipelined Verilog of the student (da4ml)."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.rtl.generate import rtl_generate

    rtl_generate(**job(snakemake))
