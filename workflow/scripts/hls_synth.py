"""Rule hls_synth: vendor HLS synthesis and IP export of the project, and its parsed report."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.hls.synth import hls_synth

    hls_synth(**job(snakemake))
