rule soc_bitstream:
    input:
        verilog="results/{exp}/rtl/{variant}/{target}/verilog",
        protocol="results/{exp}/board/{variant}/{target}/protocol.json",
        firmware="results/{exp}/board/{variant}/{target}/firmware",
    output:
        bit="results/{exp}/hw/{variant}/{target}/soc/socflow_soc.bit",
        report="results/{exp}/hw/{variant}/{target}/soc/soc.json",
    log:
        "logs/soc_bitstream/{exp}/{variant}/{target}.log",
        yosys="logs/soc_bitstream/{exp}/{variant}/{target}.yosys.log",
        nextpnr="logs/soc_bitstream/{exp}/{variant}/{target}.nextpnr.log",
    benchmark:
        "benchmarks/soc_bitstream/{exp}/{variant}/{target}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        target=target_cfg,
        board=section("board"),
        timing=setting("rtl", "timing"),
        seeds=setting("rtl", "pnr_seeds"),
    script:
        "../scripts/soc_bitstream.py"
