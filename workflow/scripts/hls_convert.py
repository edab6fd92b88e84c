"""Rule hls_convert: the student as an hls4ml project for one hardware target."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.hls.convert import hls_convert

    hls_convert(**job(snakemake))
