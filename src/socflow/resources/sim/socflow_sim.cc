// C entry points around the Verilated socflow_top (socflow_stream + inference core), so that Python can clock
// it cycle by cycle behind an emulated ComBlock. Inputs are applied before the rising edge; the returned
// outputs are those registered by that edge.
#include <cstdint>
#include <memory>

#include "Vsocflow_top.h"
#include "verilated.h"

struct Sim {
    std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    std::unique_ptr<Vsocflow_top> top{new Vsocflow_top{ctx.get()}};
};

extern "C" {
void *sim_new() {
    auto *sim = new Sim;
    sim->top->clk = 0;
    sim->top->rst = 1;
    sim->top->eval();
    return sim;
}

void sim_free(void *handle) {
    auto *sim = static_cast<Sim *>(handle);
    sim->top->final();
    delete sim;
}

// One clock cycle. Returns bit 0: fifo_re, bit 1: fifo_we (after the edge); *wdata: fifo_wdata.
uint32_t sim_cycle(void *handle, uint32_t rst, uint32_t fifo_empty, uint32_t fifo_rvalid, uint32_t fifo_rdata,
                   uint32_t fifo_full, uint32_t *wdata) {
    auto &top = *static_cast<Sim *>(handle)->top;
    top.rst = rst;
    top.fifo_empty = fifo_empty;
    top.fifo_rvalid = fifo_rvalid;
    top.fifo_rdata = fifo_rdata;
    top.fifo_full = fifo_full;
    top.clk = 0;
    top.eval();
    top.clk = 1;
    top.eval();
    *wdata = top.fifo_wdata;
    return (top.fifo_re ? 1u : 0u) | (top.fifo_we ? 2u : 0u);
}
}
