"""Rule board_firmware: bare-metal C of Algorithm 1 with this model's protocol and test vectors."""

from socflow.smk import deployed_input, log_to

with log_to(snakemake.log[0]):
    from socflow.board.firmware import board_firmware
    from socflow.board.ip_model import ip_files

    board_firmware(
        snakemake.input.protocol,
        ip_files(snakemake.input),
        snakemake.input.model,
        snakemake.input.test,
        deployed_input(snakemake),
        snakemake.params.samples,
        snakemake.output.firmware,
    )
