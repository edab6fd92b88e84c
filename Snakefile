from snakemake.utils import min_version

min_version("9.0")


# the embedded default, unless the command line names config files (--configfile): those replace it
if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/teacher.smk"
include: "workflow/rules/student.smk"
include: "workflow/rules/hls.smk"
include: "workflow/rules/rtl.smk"
include: "workflow/rules/vivado.smk"
include: "workflow/rules/board.smk"
include: "workflow/rules/report.smk"


onstart:
    check_vendor_tools()
    write_stage_plan()


rule all:
    default_target: True
    input:
        PLAN.final_outputs(),


rule all_stages:
    input:
        PLAN.final_outputs(every_stage=True),
