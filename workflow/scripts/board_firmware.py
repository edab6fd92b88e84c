"""Rule board_firmware: bare-metal C of Algorithm 1 with this model's protocol and test vectors."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.board.firmware import board_firmware

    board_firmware(**job(snakemake))
