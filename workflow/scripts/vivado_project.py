"""Rule vivado_project: the assessment design as a Vivado Tcl project, checked under tclsh."""

from socflow.smk import job, log_to

with log_to(snakemake.log[0]):
    from socflow.vivado.project import vivado_project

    vivado_project(**job(snakemake))
