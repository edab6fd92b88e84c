"""Rule vivado_project: the assessment design as a Vivado Tcl project, checked under tclsh."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.board.ip_model import ip_files
    from socflow.vivado.project import vivado_project

    vivado_project(
        ip_files(snakemake.input),
        snakemake.input.protocol,
        snakemake.params.target,
        snakemake.params.board,
        snakemake.output,
    )
