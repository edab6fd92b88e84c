"""Rule board_package: the deployment package of one target (driver, vectors, firmware, Vivado project, bitstream)."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.board.package import board_package

    board_package(**job(snakemake))
