"""Rule rtl_sim: Verilator simulation of the Verilog on the test set, checked bit for bit."""

import tempfile

from socflow.smk import deployed, deployed_input, log_to

with log_to(snakemake.log[0]), tempfile.TemporaryDirectory() as scratch:
    from socflow.rtl.sim import rtl_sim

    rtl_sim(
        snakemake.input.model,
        snakemake.input.verilog,
        snakemake.input.test,
        snakemake.input.summary,
        deployed_input(snakemake),
        deployed(snakemake),
        snakemake.params.rtl,
        snakemake.threads,
        scratch,
        snakemake.output.sim,
    )
