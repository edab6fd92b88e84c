"""The open hardware path (rules of rtl.smk): the student's Verilog (socflow.rtl.designs: da4ml's parallel design,
socflow's folded, streaming and conv designs), Verilator simulation, Yosys synthesis, the budget check."""
