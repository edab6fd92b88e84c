"""Rule plot_fig5: latency vs reuse factor from the HLS synthesis reports of every target."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.figures import fig5_points, latency_vs_reuse
    from socflow.io import read_json

    reports = {name: read_json(path) for name, path in zip(snakemake.params.targets, snakemake.input.reports)}
    latency_vs_reuse(fig5_points(reports, snakemake.params.targets), snakemake.output.plot, snakemake.wildcards.variant)
