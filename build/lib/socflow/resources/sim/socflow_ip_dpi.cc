// The C simulation of socflow_ip (resources/hls/socflow_ip.cpp, the hls4ml model behind socflow's word
// protocol) behind the DPI-C functions that socflow_ip_dpi.v imports. Compiled with the hls4ml project's
// firmware (myproject.cpp, ap_types, weights) into the emulated board's library.
#include "socflow_ip.h"

namespace {
hls::stream<ap_uint<32> > words_in("socflow_words_in");
hls::stream<ap_uint<32> > words_out("socflow_words_out");
unsigned frame_words = 0;
}  // namespace

extern "C" {
int socflow_ip_push(int word) {
    words_in.write(ap_uint<32>(static_cast<unsigned>(word)));
    if (++frame_words < SOCFLOW_N_IN) return 0;
    frame_words = 0;
    socflow_ip(words_in, words_out);
    return 1;
}

int socflow_ip_pending() { return words_out.empty() ? 0 : 1; }

int socflow_ip_pop() { return static_cast<int>(static_cast<unsigned>(words_out.read())); }

void socflow_ip_reset() {
    while (!words_in.empty()) words_in.read();
    while (!words_out.empty()) words_out.read();
    frame_words = 0;
}
}
