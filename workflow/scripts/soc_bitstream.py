"""Rule soc_bitstream: the assessment SoC (VexRiscv, firmware, ComBlock peripheral, the student's RTL) for the
target's open ECP5 board: LiteX, Yosys, nextpnr-ecp5, ecppack."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.soc.bitstream import soc_bitstream

    soc_bitstream(**job(snakemake))
