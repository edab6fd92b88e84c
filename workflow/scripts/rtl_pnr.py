"""Rule rtl_pnr: nextpnr-ecp5 place and route of the RTL (in socflow_top) for the target's ECP5 part."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.board.pnr import rtl_pnr

    rtl_pnr(**job(snakemake))
