// Drives the third-party IP (tests/fixtures/thirdparty_ip, top `myproject`) directly, without socflow's glue:
// start over AXI-Lite (AP_CTRL <- 0x81), then the frames of stdin back to back on inputSignal (TLAST on each
// frame's last word), outputPrediction always ready; prints every output word. The reference that the
// ComBlock + socflow_axis path must reproduce word for word.
// stdin: <frames> <words per frame> then the words; stdout: one output word per line.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "Vmyproject.h"
#include "verilated.h"

static std::unique_ptr<Vmyproject> ip;
static std::vector<int64_t> outputs;

static void tick() {
    ip->ap_clk = 0;
    ip->eval();
    bool out = ip->outputPrediction_TVALID && ip->outputPrediction_TREADY;
    uint32_t data = ip->outputPrediction_TDATA;
    ip->ap_clk = 1;
    ip->eval();
    if (out) outputs.push_back((int32_t)data);
}

int main(int argc, char **argv) {
    auto ctx = std::make_unique<VerilatedContext>();
    ctx->commandArgs(argc, argv);
    ip = std::make_unique<Vmyproject>(ctx.get());
    int frames = 0, width = 0;
    if (scanf("%d %d", &frames, &width) != 2) return 2;
    std::vector<uint32_t> words(frames * width);
    for (auto &w : words)
        if (scanf("%u", &w) != 1) return 2;

    ip->ap_rst_n = 0;
    ip->inputSignal_TKEEP = 0xf;
    ip->inputSignal_TSTRB = 0xf;
    ip->outputPrediction_TREADY = 1;
    for (int i = 0; i < 5; i++) tick();
    ip->ap_rst_n = 1;
    ip->s_axi_control_AWADDR = 0;
    ip->s_axi_control_WDATA = 0x81;
    ip->s_axi_control_WSTRB = 0xf;
    ip->s_axi_control_AWVALID = 1;
    ip->s_axi_control_WVALID = 1;
    ip->s_axi_control_BREADY = 1;
    for (int i = 0; i < 100 && (ip->s_axi_control_AWVALID || ip->s_axi_control_WVALID || !ip->s_axi_control_BVALID); i++) {
        bool aw = ip->s_axi_control_AWREADY, w = ip->s_axi_control_WREADY;
        tick();
        if (aw) ip->s_axi_control_AWVALID = 0;
        if (w) ip->s_axi_control_WVALID = 0;
    }
    tick();
    ip->s_axi_control_BREADY = 0;

    for (size_t n = 0; n < words.size(); n++) {
        ip->inputSignal_TDATA = words[n];
        ip->inputSignal_TLAST = (n % width) == (size_t)(width - 1);
        ip->inputSignal_TVALID = 1;
        for (int guard = 0; guard < 1000; guard++) {
            ip->ap_clk = 0;
            ip->eval();
            bool taken = ip->inputSignal_TREADY;
            tick();
            if (taken) break;
        }
    }
    ip->inputSignal_TVALID = 0;
    for (int i = 0; i < 200; i++) tick();
    for (auto v : outputs) printf("%lld\n", (long long)v);
    ip->final();
    ip.reset();  // before its context goes
    return 0;
}
