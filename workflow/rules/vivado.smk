rule vivado_project:
    input:
        unpack(design_ip),
        protocol="results/{exp}/board/{variant}/{target}/protocol.json",
    output:
        project=directory("results/{exp}/hw/{variant}/{target}/vivado"),
        check="results/{exp}/hw/{variant}/{target}/vivado_check.json",
    log:
        "logs/vivado_project/{exp}/{variant}/{target}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        target=target_cfg,
        board=section("board"),
    script:
        "../scripts/vivado_project.py"


rule vivado_bitstream:
    input:
        project="results/{exp}/hw/{variant}/{target}/vivado",
        check="results/{exp}/hw/{variant}/{target}/vivado_check.json",
    output:
        bit="results/{exp}/hw/{variant}/{target}/design.bit",
        hwh="results/{exp}/hw/{variant}/{target}/design.hwh",
        xsa="results/{exp}/hw/{variant}/{target}/design.xsa",
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
        board=section("board"),
    script:
        "../scripts/vivado_bitstream.py"
