rule vivado_bitstream:
    input:
        ip="results/{exp}/hls/{variant}/{target}/synth/ip",
        report="results/{exp}/hls/{variant}/{target}/synth/report.json",
    output:
        bit="results/{exp}/hw/{variant}/{target}/design.bit",
        hwh="results/{exp}/hw/{variant}/{target}/design.hwh",
        utilization="results/{exp}/hw/{variant}/{target}/utilization.json",
    log:
        "logs/vivado_bitstream/{exp}/{variant}/{target}.log",
    benchmark:
        "benchmarks/vivado_bitstream/{exp}/{variant}/{target}.tsv"
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=16000,
        runtime=480,
    params:
        target=target_cfg,
    script:
        "../scripts/not_implemented.py"
