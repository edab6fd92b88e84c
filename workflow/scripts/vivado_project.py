"""Rule vivado_project: the assessment design as a Vivado Tcl project, checked under tclsh."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.vivado import vivado_project

    vivado_project(
        {k: snakemake.input[k] for k in ("verilog", "hls_ip") if k in snakemake.input.keys()},
        snakemake.input.protocol,
        snakemake.params.target,
        snakemake.params.board,
        snakemake.output,
    )
