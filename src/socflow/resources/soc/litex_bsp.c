/* The few Xilinx standalone BSP calls of socflow_algorithm1.c on the LiteX assessment SoC (VexRiscv): register
   accesses are plain 32-bit loads and stores (the ComBlock peripheral is in the CPU's uncached I/O region),
   xil_printf goes to LiteX's UART through picolibc's printf, sf_cycles reads the timer's uptime counter, and
   _exit (after main returns) prints the exit status and, in the simulation, ends it. */
#include <stdarg.h>
#include <stdio.h>

#include <generated/csr.h>

#include "xil_io.h"
#include "xil_printf.h"

u32 Xil_In32(UINTPTR Addr) { return *(volatile u32 *)Addr; }

void Xil_Out32(UINTPTR Addr, u32 Value) { *(volatile u32 *)Addr = Value; }

static int uart_putc(char c, FILE *file) {
    (void)file;
    while (uart_txfull_read()) {
    }
    uart_rxtx_write((unsigned char)c);
    return (unsigned char)c;
}

static FILE uart_stream = FDEV_SETUP_STREAM(uart_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &uart_stream;

void xil_printf(const char8 *ctrl1, ...) {
    va_list args;
    va_start(args, ctrl1);
    vprintf(ctrl1, args);
    va_end(args);
}

u32 sf_cycles(void) {
    timer0_uptime_latch_write(1);
    return (u32)timer0_uptime_cycles_read();
}

void _exit(int status) {
    printf("SOCFLOW_EXIT %d\r\n", status);
    while (uart_txfull_read()) {
    }
#ifdef CSR_SIM_FINISH_BASE
    for (int i = 0; i < 10000; i++) /* the UART's last characters */
        __asm__ volatile("nop");
    sim_finish_finish_write(1);
#endif
    for (;;) {
    }
}
