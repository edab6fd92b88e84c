"""Rule plot_confusion: the student's confusion matrix beside those of its C simulation and RTL simulation."""

from socflow.smk import log_to

with log_to(snakemake.log[0]):
    from socflow.io import read_json
    from socflow.report.figures import confusion_matrices

    matrices = {"QKeras": read_json(snakemake.input.student)["confusion_matrix"]}
    for key, label, field in (("csim", "C sim", "csim"), ("rtl_sim", "RTL sim", "rtl")):
        for target, path in zip(snakemake.params.targets.values(), snakemake.input.get(key, [])):
            where = f"{target['part']} @ {1000 / target['clock_period']:g} MHz"
            matrices[f"{label}, {where}"] = read_json(path)[field]["confusion_matrix"]
    class_names = read_json(snakemake.input.summary)["class_names"]
    title = f"{snakemake.wildcards.exp} {snakemake.wildcards.variant}"
    confusion_matrices(matrices, class_names, snakemake.output.plot, title)
