"""Rule vivado_project: the assessment design as a Vivado Tcl project, checked under tclsh."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.vivado import vivado_project

    vivado_project(
        snakemake.input.verilog,
        snakemake.input.protocol,
        snakemake.params.target,
        snakemake.params.board,
        snakemake.output,
    )
