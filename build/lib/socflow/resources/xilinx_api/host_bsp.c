/* Host stand-ins for the BSP calls of the firmware: Xil_In32/Xil_Out32 go to callbacks (the emulated
   ComBlock), xil_printf to stdout. Only for running the generated firmware against the emulated board. */
#include <stdarg.h>
#include <stdio.h>

#include "xil_io.h"
#include "xil_printf.h"
#include "xparameters.h"

typedef u32 (*read_fn)(u32 word);
typedef void (*write_fn)(u32 word, u32 value);
static read_fn host_read;
static write_fn host_write;

void host_bind(read_fn r, write_fn w) {
    host_read = r;
    host_write = w;
}

u32 Xil_In32(UINTPTR Addr) { return host_read((u32)((Addr - XPAR_COMBLOCK_0_AXIL_BASEADDR) / 4)); }

void Xil_Out32(UINTPTR Addr, u32 Value) { host_write((u32)((Addr - XPAR_COMBLOCK_0_AXIL_BASEADDR) / 4), Value); }

void xil_printf(const char8 *ctrl1, ...) {
    va_list args;
    va_start(args, ctrl1);
    vprintf(ctrl1, args);
    va_end(args);
    fflush(stdout);
}
