"""The assessment framework's host side (paper §II-C, Algorithm 1): the stream protocol shared by hardware,
driver, firmware and emulator; the ComBlock driver over a transport (PYNQ MMIO or the emulated board); and
Algorithm 1 over the test set, checked answer by answer against the model."""
