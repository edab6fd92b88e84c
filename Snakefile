from pathlib import Path

from snakemake.utils import min_version

min_version("9.0")


from socflow.config import read_config_file

# the embedded default, unless the command line names config files (--configfile): those replace it; each read
# strictly first, so a syntax error or a key given twice is a ConfigError naming the file and line (Snakemake itself
# reads a --configfile before this file runs: its syntax errors get Snakemake's message, see docs)
for path in workflow.overwrite_configfiles or ["config/config.yaml"]:
    if Path(path).is_file():
        read_config_file(path)
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
include: "workflow/rules/soc.smk"
include: "workflow/rules/report.smk"


# results follow the code: each rule's params carry the fingerprint of the socflow code it runs
fingerprint_rules()


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
