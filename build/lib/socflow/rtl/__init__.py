"""The open hardware path (rules of rtl.smk): da4ml Verilog of the student, Verilator simulation, Yosys synthesis."""
