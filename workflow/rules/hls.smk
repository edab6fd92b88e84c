rule hls_convert:
    input:
        model=student_model,
        metrics="results/{exp}/student/{variant}/metrics.json",
        summary="results/{exp}/data/summary.json",
    output:
        project=directory("results/{exp}/hls/{variant}/{target}/project"),
        config="results/{exp}/hls/{variant}/{target}/hls_config.yml",
    log:
        "logs/hls_convert/{exp}/{variant}/{target}.log",
    benchmark:
        "benchmarks/hls_convert/{exp}/{variant}/{target}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        hls=section("hls", drop=("targets",)),
        target=target_cfg,
    script:
        "../scripts/hls_convert.py"


rule hls_csim:
    input:
        project="results/{exp}/hls/{variant}/{target}/project",
        config="results/{exp}/hls/{variant}/{target}/hls_config.yml",
        model=student_model,
        test="results/{exp}/data/test.npz",
        summary="results/{exp}/data/summary.json",
    output:
        csim="results/{exp}/hls/{variant}/{target}/csim.json",
    log:
        "logs/hls_csim/{exp}/{variant}/{target}.log",
    benchmark:
        "benchmarks/hls_csim/{exp}/{variant}/{target}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        min_agreement=setting("hls", "csim_min_agreement"),
        input_accuracy=input_accuracy,
    script:
        "../scripts/hls_csim.py"


rule hls_synth:
    input:
        project="results/{exp}/hls/{variant}/{target}/project",
        csim="results/{exp}/hls/{variant}/{target}/csim.json",
    output:
        synth=directory("results/{exp}/hls/{variant}/{target}/synth/ip"),
        board_ip=directory("results/{exp}/hls/{variant}/{target}/synth/board_ip"),
        report="results/{exp}/hls/{variant}/{target}/synth/report.json",
    log:
        "logs/hls_synth/{exp}/{variant}/{target}.log",
    benchmark:
        "benchmarks/hls_synth/{exp}/{variant}/{target}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=16000,
        runtime=240,
    params:
        backend=setting("hls", "backend"),
        target=target_cfg,
    script:
        "../scripts/hls_synth.py"
