#ifndef XPARAMETERS_H
#define XPARAMETERS_H
/* On the board, Vitis generates this file from the hardware platform (.xsa); the name below is the one the
   ComBlock instance `comblock_0` gets there. */
#define XPAR_COMBLOCK_0_AXIL_BASEADDR 0x44A00000
#endif
