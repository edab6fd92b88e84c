/*
 * socflow: the paper's Algorithm 1 on the board's processor (MicroBlaze or Zynq, Xilinx standalone BSP).
 *
 * Streams every test vector of test_vectors.h through ComBlock to the inference IP following protocol.h,
 * reads the answer words, checks each against the answer the model gives (generated with the vectors), and
 * prints a summary on the UART. The last line is machine-readable:
 *   SOCFLOW_RESULT n=<samples> agree=<answers equal to the model's> correct=<classes equal to the labels> timeouts=<n>
 * Returns 0 when every answer equals the model's.
 *
 * Where the platform has a free-running cycle counter (compile with -DSF_CYCLES=<function returning u32>, as the
 * LiteX SoC does), a second line says where the time goes, in processor clock cycles summed over the samples:
 *   SOCFLOW_CYCLES n=<samples> send=<writing the input words> answer=<waiting for and reading the answer words>
 */
#include "xil_io.h"
#include "xil_printf.h"
#include "xil_types.h"
#include "xparameters.h"

#include "protocol.h"
#include "test_vectors.h"

#ifndef SF_COMBLOCK_BASEADDR
#define SF_COMBLOCK_BASEADDR XPAR_COMBLOCK_0_AXIL_BASEADDR
#endif
#ifndef SF_MAX_POLLS
#define SF_MAX_POLLS 100000
#endif
#ifndef SF_PRINT_MISMATCHES
#define SF_PRINT_MISMATCHES 10
#endif

/* ComBlock rev 2.1 register map, word addresses (byte offset = 4 x word) */
#define CB_OREG0 16
#define CB_IFIFO_VALUE 32
#define CB_IFIFO_CONTROL 33
#define CB_IFIFO_STATUS 34
#define CB_OFIFO_VALUE 36
#define CB_OFIFO_CONTROL 37
#define CB_OFIFO_STATUS 38
#ifdef SF_CYCLES
u32 SF_CYCLES(void);
#define SF_NOW() SF_CYCLES()
#else
#define SF_NOW() 0u
#endif

#define CB_EMPTY_OR_FULL 0x1u
#define CB_UNDER_OR_OVERFLOW 0x4u

static void cb_write(u32 reg, u32 value) { Xil_Out32(SF_COMBLOCK_BASEADDR + 4u * reg, value); }

static u32 cb_read(u32 reg) { return Xil_In32(SF_COMBLOCK_BASEADDR + 4u * reg); }

static void fifo_flush(void) {
    cb_write(CB_IFIFO_CONTROL, 1);
    cb_write(CB_IFIFO_CONTROL, 0);
    cb_write(CB_OFIFO_CONTROL, 1);
    cb_write(CB_OFIFO_CONTROL, 0);
}

/* Wait for a word in the IN_FIFO; 0 on timeout. */
static int wait_for_word(void) {
    for (u32 poll = 0; poll < SF_MAX_POLLS; poll++) {
        if (!(cb_read(CB_IFIFO_STATUS) & CB_EMPTY_OR_FULL)) return 1;
    }
    return 0;
}

int main(void) {
    u32 answer[SF_WORDS_OUT];
    u32 confusion[SF_N_CLASSES][SF_N_CLASSES] = {{0}};
    int agree = 0, correct = 0, timeouts = 0, printed = 0;
    u32 send_cycles = 0, answer_cycles = 0;

    xil_printf("socflow Algorithm 1: %d test vectors, %d words in, %d words out\r\n", SF_N_SAMPLES, SF_N_INPUTS, SF_WORDS_OUT);
    fifo_flush();
    cb_write(CB_OREG0 + SF_RESET_REGISTER, 1);
    cb_write(CB_OREG0 + SF_RESET_REGISTER, 0);

    for (int i = 0; i < SF_N_SAMPLES; i++) {
        u32 start = SF_NOW();
        for (int j = 0; j < SF_N_INPUTS; j++) cb_write(CB_OFIFO_VALUE, sf_inputs[i][j]);
        for (int j = 0; j < SF_DRAIN_WORDS; j++) cb_write(CB_OFIFO_VALUE, 0);
        u32 sent = SF_NOW();
        int same = 1, answered = 1;
        for (int k = 0; k < SF_WORDS_OUT; k++) {
            if (!wait_for_word()) {
                timeouts++;
                xil_printf("sample %d: no answer word %d\r\n", i, k);
                fifo_flush();
                same = answered = 0;
                break;
            }
            answer[k] = cb_read(CB_IFIFO_VALUE);
            if (answer[k] != sf_expected[i][k]) same = 0;
        }
        u32 answered_at = SF_NOW();
        send_cycles += sent - start;
        answer_cycles += answered_at - sent;
        if (cb_read(CB_OFIFO_STATUS) & CB_UNDER_OR_OVERFLOW) xil_printf("sample %d: OUT_FIFO overflow\r\n", i);
        agree += same;
        if (answered && answer[0] < SF_N_CLASSES) {
            correct += answer[0] == sf_labels[i];
            confusion[sf_labels[i]][answer[0]]++;
        }
        if (answered && !same && printed < SF_PRINT_MISMATCHES) {
            printed++;
            xil_printf("sample %d: class %d, model says %d (label %d)\r\n", i, (int)answer[0], (int)sf_expected[i][0], (int)sf_labels[i]);
        }
    }

    xil_printf("confusion matrix (rows: label, columns: answer)\r\n");
    for (int r = 0; r < SF_N_CLASSES; r++) {
        for (int c = 0; c < SF_N_CLASSES; c++) xil_printf(" %d", (int)confusion[r][c]);
        xil_printf("\r\n");
    }
#ifdef SF_CYCLES
    xil_printf("SOCFLOW_CYCLES n=%d send=%d answer=%d\r\n", SF_N_SAMPLES, (int)send_cycles, (int)answer_cycles);
#endif
    xil_printf("SOCFLOW_RESULT n=%d agree=%d correct=%d timeouts=%d\r\n", SF_N_SAMPLES, agree, correct, timeouts);
    return agree == SF_N_SAMPLES ? 0 : 1;
}
