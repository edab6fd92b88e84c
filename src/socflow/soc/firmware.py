"""The generated Algorithm 1 firmware (socflow.board.firmware) compiled for the SoC's VexRiscv (rv32im) with
Debian's RISC-V GCC and picolibc (its start-up code and linker script), against the LiteX platform layer of the
BSP calls it makes (resources/soc/litex_bsp.c) and the SoC's generated CSR header; the ROM image as 32-bit
words. The compiler is a Debian package: the stages that call this check it first (socflow.soc.needs)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import litex

from socflow import RESOURCES
from socflow.board.firmware import SOURCE, XILINX_API
from socflow.soc.build import COMBLOCK_BASE, CPU, generate
from socflow.tools import run_tool

GCC = "riscv64-unknown-elf-gcc"
OBJCOPY = "riscv64-unknown-elf-objcopy"
BSP = RESOURCES / "soc" / "litex_bsp.c"
LITEX = Path(litex.__file__).parent


def compile_firmware(firmware_dir: Path, includes: list[Path], memory: dict[str, tuple[int, int]],
                     comblock_base: int, out_dir: Path) -> Path:  # fmt: skip
    """The firmware as a raw binary for the ROM (out_dir/firmware.bin, with its ELF and map beside it): code and
    constants (the test vectors) in `memory['rom']`, data, stack and heap in `memory['sram']` ((origin, size)
    each); `includes`: LiteX's headers (the SoC's generated/csr.h, hw/common.h, the CPU's system.h)."""
    (rom, rom_size), (ram, ram_size) = memory["rom"], memory["sram"]
    elf, binary = out_dir / "firmware.elf", out_dir / "firmware.bin"
    command = [
        GCC, "-march=rv32im", "-mabi=ilp32", "-O2", "-std=gnu99", "-Wall", "-Werror",
        "-specs=picolibc.specs", "--crt0=hosted", f"-I{XILINX_API}", f"-I{firmware_dir}", *(f"-I{p}" for p in includes),
        f"-DSF_COMBLOCK_BASEADDR={comblock_base:#x}", "-DSF_CYCLES=sf_cycles",
        "-DPICOLIBC_INTEGER_PRINTF_SCANF",  # xil_printf prints integers only: picolibc's printf without floats
        f"-Wl,--defsym=__flash={rom:#x}", f"-Wl,--defsym=__flash_size={rom_size:#x}",
        f"-Wl,--defsym=__ram={ram:#x}", f"-Wl,--defsym=__ram_size={ram_size:#x}",
        "-Wl,--defsym=__stack_size=0x1000", f"-Wl,-Map={out_dir / 'firmware.map'}",
        str(Path(firmware_dir) / SOURCE.name), str(BSP), "-o", str(elf),
    ]  # fmt: skip
    run_tool(command, out_dir / "gcc.log", "the firmware does not compile for the SoC's RISC-V CPU")
    run_tool([OBJCOPY, "-O", "binary", str(elf), str(binary)], out_dir / "objcopy.log", "objcopy")
    return binary


def rom_words(binary: Path) -> list[int]:
    """The ROM's contents: the binary as little-endian 32-bit words (VexRiscv's byte order)."""
    data = binary.read_bytes()
    data += b"\0" * (-len(data) % 4)
    return [int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4)]


def firmware_includes(soc_dir: Path) -> list[Path]:
    """The headers the platform layer includes: the SoC's generated ones, LiteX's hw/common.h, the CPU's system.h."""
    return [
        soc_dir / "software" / "include",
        LITEX / "soc" / "software" / "include",
        LITEX / "soc" / "cores" / "cpu" / CPU[0],
    ]


def soc_with_firmware(
    make_soc: Callable[[Sequence[int]], Any], firmware_src: Path, folder: Path, **build: object
) -> tuple[Any, Path]:
    """The SoC `make_soc` builds around a ROM image, twice: first empty, for its headers (CSR addresses) and memory
    map, then with the firmware compiled against them in its ROM; LiteX's output in folder/soc (`build`: its
    builder's options), the firmware's in folder/firmware. The second SoC and the firmware binary."""
    soc_dir, out = folder / "soc", folder / "firmware"
    out.mkdir(parents=True, exist_ok=True)
    soc = make_soc([])
    generate(soc, soc_dir, **build)
    memory = {name: (region.origin, region.size) for name, region in soc.bus.regions.items()}
    binary = compile_firmware(firmware_src, firmware_includes(soc_dir), memory, COMBLOCK_BASE, out)
    soc = make_soc(rom_words(binary))
    generate(soc, soc_dir, **build)
    return soc, binary
