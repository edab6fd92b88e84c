"""Rule rtl_sim: Verilator simulation of the Verilog on the test set, checked bit for bit."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.rtl.sim import rtl_sim

    rtl_sim(**job(snakemake))
