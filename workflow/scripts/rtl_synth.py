"""Rule rtl_synth: Yosys resource estimate of the Verilog for the target's part."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.rtl.synth import rtl_synth

    rtl_synth(**job(snakemake))
