"""Rule board_package: the deployment package of one target (driver, vectors, firmware, Vivado project, bitstream)."""

from socflow.smk import deployed_input, log_to

with log_to(snakemake.log[0]):
    from socflow.board.ip_model import ip_files
    from socflow.board.package import board_package

    board_package(
        ip_files(snakemake.input),
        snakemake.input.protocol,
        snakemake.input.header,
        snakemake.input.summary,
        snakemake.input.firmware,
        snakemake.input.vivado,
        snakemake.input.model,
        snakemake.input.test,
        deployed_input(snakemake),
        [snakemake.input[k] for k in ("bit", "hwh") if k in snakemake.input.keys()],
        snakemake.output.package,
    )
