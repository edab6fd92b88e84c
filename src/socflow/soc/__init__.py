"""The assessment SoC on open tools: a LiteX SoC (VexRiscv, RAM, UART, a ComBlock-compatible peripheral in front
of the inference IP) simulated in Verilator with the generated Algorithm 1 firmware, and built for an ECP5 board."""
