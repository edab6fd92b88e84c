rule rtl_generate:
    input:
        model=student_model,
        metrics="results/{exp}/student/{variant}/metrics.json",
    output:
        verilog=directory("results/{exp}/rtl/{variant}/{target}/verilog"),
        summary="results/{exp}/rtl/{variant}/{target}/rtl.json",
    log:
        "logs/rtl_generate/{exp}/{variant}/{target}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=20,
    params:
        input_precision=INPUT_PRECISION,
        target=target_cfg,
        rtl=section("rtl", drop=PNR_SETTINGS),
    script:
        "../scripts/rtl_generate.py"


rule rtl_sim:
    input:
        verilog="results/{exp}/rtl/{variant}/{target}/verilog",
        rtl="results/{exp}/rtl/{variant}/{target}/rtl.json",
        model=student_model,
        metrics="results/{exp}/student/{variant}/metrics.json",
        test="results/{exp}/data/test.npz",
        summary="results/{exp}/data/summary.json",
    output:
        sim="results/{exp}/rtl/{variant}/{target}/rtl_sim.json",
    log:
        "logs/rtl_sim/{exp}/{variant}/{target}.log",
    benchmark:
        "benchmarks/rtl_sim/{exp}/{variant}/{target}.tsv"
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        input_precision=INPUT_PRECISION,
        target=target_cfg,
        rtl=section("rtl", drop=PNR_SETTINGS),
        input_accuracy=input_accuracy,
    script:
        "../scripts/rtl_sim.py"


rule rtl_synth:
    input:
        verilog="results/{exp}/rtl/{variant}/{target}/verilog",
    output:
        report="results/{exp}/rtl/{variant}/{target}/yosys.json",
    log:
        "logs/rtl_synth/{exp}/{variant}/{target}.log",
        yosys="logs/rtl_synth/{exp}/{variant}/{target}.yosys.log",
    benchmark:
        "benchmarks/rtl_synth/{exp}/{variant}/{target}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        part=lambda wildcards: target_cfg(wildcards)["part"],
        cache=synth_cache,
    script:
        "../scripts/rtl_synth.py"


rule budget_check:
    input:
        model=student_model,
        metrics="results/{exp}/student/{variant}/metrics.json",
        yosys="results/{exp}/rtl/{variant}/{target}/yosys.json",
        sim="results/{exp}/rtl/{variant}/{target}/rtl_sim.json",
        chosen="results/{exp}/student/{variant}/chosen.json",
    output:
        check="results/{exp}/rtl/{variant}/{target}/budget.json",
    log:
        "logs/budget_check/{exp}/{variant}/{target}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=10,
    params:
        input_precision=INPUT_PRECISION,
        target=target_cfg,
        rtl=section("rtl", drop=PNR_SETTINGS),
    script:
        "../scripts/budget_check.py"
