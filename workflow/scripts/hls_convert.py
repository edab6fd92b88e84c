"""Rule hls_convert: the student as an hls4ml project for one hardware target."""

from socflow.smk import deployed, deployed_input, log_to

with log_to(snakemake.log[0]):
    from socflow.hls.convert import hls_convert

    hls_convert(
        snakemake.input.model,
        dict(snakemake.params.hls, input_precision=deployed_input(snakemake, snakemake.params.hls["input_precision"])),
        deployed(snakemake),
        dict(snakemake.output.items()),
    )
