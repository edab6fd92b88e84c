"""Rule hls_synth: vendor HLS synthesis and IP export of the project, and its parsed report."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.hls.synth import hls_synth

    hls_synth(
        snakemake.input.project,
        snakemake.params.backend,
        snakemake.params.target,
        dict(snakemake.output.items()),
    )
