"""Rule board_protocol: the stream protocol of this model and target (protocol.json, protocol.h)."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.board.protocol import board_protocol

    board_protocol(**job(snakemake))
