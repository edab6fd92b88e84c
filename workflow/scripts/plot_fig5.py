"""Rule plot_fig5: latency and resources vs reuse factor from the HLS synthesis reports, RTL simulations and
Yosys estimates of every target."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.io import read_json
    from socflow.report.figures import fig5_points, latency_vs_reuse

    names = list(snakemake.params.targets)
    reports = {
        key: dict(zip(names, map(read_json, snakemake.input.get(key, [])))) for key in ("synth", "rtl_sim", "yosys")
    }
    latency_vs_reuse(
        fig5_points(snakemake.params.targets, **reports), snakemake.output.plot, snakemake.wildcards.variant
    )
