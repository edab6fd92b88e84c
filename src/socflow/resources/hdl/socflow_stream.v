// socflow_stream: glue between ComBlock's FIFOs and a pipelined inference core (one input vector per clock,
// fixed latency), following socflow's stream protocol (protocol.json / protocol.h, generated per model):
//
//   processor -> ComBlock OUT_FIFO -> N_IN words, one sample each: a fixed-point code in bits [IN_W-1:0]
//   processor <- ComBlock IN_FIFO  <- 1 word: the class index (argmax, lowest index on ties),
//                                     then, when SEND_SCORES, N_OUT words: the scores, sign-extended codes
//   reset: ComBlock OREG0 bit 0 (1 holds this block in reset; frames restart from the first word)
//
// One frame at a time (LOAD -> WAIT -> PICK -> SEND): nothing in the pipeline is ever overwritten, no drain words are
// needed, and the answer leaves as soon as the core has computed it. At most one FIFO read is outstanding, so
// the wrapper never reads an empty FIFO whatever its read latency; data is taken on fifo_rvalid.
`timescale 1 ns / 1 ps

module socflow_stream #(
    parameter integer N_IN = 30,
    parameter integer IN_W = 16,
    parameter integer N_OUT = 4,
    parameter integer OUT_W = 19,
    parameter integer LATENCY = 4,  // clock edges from a complete input vector to its answer at model_out
    parameter integer SEND_SCORES = 0,
    parameter integer STREAM = 0  // 1: model_valid with every word (a core that consumes the input as it arrives)
) (
    input wire clk,
    input wire rst,
    // ComBlock OUT_FIFO, processor -> fabric (ComBlock fifo_re_i, fifo_data_o, fifo_valid_o, fifo_empty_o)
    output reg fifo_re,
    input wire [31:0] fifo_rdata,
    input wire fifo_rvalid,
    input wire fifo_empty,
    // ComBlock IN_FIFO, fabric -> processor (ComBlock fifo_we_i, fifo_data_i, fifo_full_o)
    output reg fifo_we,
    output reg [31:0] fifo_wdata,
    input wire fifo_full,
    // the inference core: inputs packed LSB first, IN_W bits each; outputs OUT_W bits each, signed.
    // A core that starts on a strobe (socflow's folded RTL) takes model_valid: one clock when model_inp is
    // complete or, with STREAM, with every word in model_word; da4ml's pipelined core needs neither.
    output reg [N_IN*IN_W-1:0] model_inp,
    output reg model_valid,
    output reg [IN_W-1:0] model_word,
    input wire [N_OUT*OUT_W-1:0] model_out
);
    localparam [1:0] LOAD = 2'd0, WAIT = 2'd1, PICK = 2'd2, SEND = 2'd3;
    localparam integer N_WORDS = 1 + (SEND_SCORES != 0 ? N_OUT : 0);

    reg [1:0] state;
    reg [15:0] count;  // words received (LOAD), clock edges waited (WAIT), scores compared (PICK), words sent (SEND)
    // the answer's words, class index first then the scores, shifted out word by word (SEND); and argmax over the
    // scores one comparison per clock (PICK), first maximum wins (as numpy.argmax), the scores after the first
    // shifted past one comparator: a chain of comparisons in one clock, or a multiplexer indexed by a counter,
    // would be the design's longest path
    reg [31:0] answer[0:N_OUT];
    reg signed [31:0] pick[0:N_OUT-1];
    reg [31:0] best;
    reg signed [31:0] best_score;

    integer j;
    always @(posedge clk) begin
        fifo_re <= 1'b0;
        fifo_we <= 1'b0;
        model_valid <= 1'b0;
        if (rst) begin
            state <= LOAD;
            count <= 0;
        end else begin
            case (state)
                LOAD: begin
                    if (fifo_rvalid) begin
                        // shifted in from the top: after N_IN words the first is in the lowest IN_W bits
                        model_inp <= {fifo_rdata[IN_W-1:0], model_inp[N_IN*IN_W-1:IN_W]};
                        model_word <= fifo_rdata[IN_W-1:0];
                        model_valid <= STREAM != 0 || count == N_IN - 1;
                        if (count == N_IN - 1) begin
                            state <= WAIT;
                            count <= 0;
                        end else count <= count + 1;
                    end else if (!fifo_empty && !fifo_re) fifo_re <= 1'b1;
                end
                WAIT: begin
                    // model_inp took its last word at the edge that entered WAIT; the core samples it at the
                    // next edge and its answer is at model_out LATENCY edges after that one
                    if (count == LATENCY) begin
                        for (j = 0; j < N_OUT; j = j + 1) begin
                            answer[j+1] <= {{(32 - OUT_W) {model_out[j*OUT_W+OUT_W-1]}}, model_out[j*OUT_W+:OUT_W]};
                            if (j > 0)
                                pick[j-1] <= {{(32 - OUT_W) {model_out[j*OUT_W+OUT_W-1]}}, model_out[j*OUT_W+:OUT_W]};
                        end
                        best <= 0;
                        best_score <= {{(32 - OUT_W) {model_out[OUT_W-1]}}, model_out[OUT_W-1:0]};
                        state <= PICK;
                        count <= 1;
                    end else count <= count + 1;
                end
                PICK: begin
                    if (count == N_OUT) begin
                        answer[0] <= best;
                        state <= SEND;
                        count <= 0;
                    end else begin
                        if (pick[0] > best_score) begin
                            best <= count;
                            best_score <= pick[0];
                        end
                        for (j = 0; j < N_OUT - 1; j = j + 1) pick[j] <= pick[j+1];
                        count <= count + 1;
                    end
                end
                SEND: begin
                    if (!fifo_full && !fifo_we) begin
                        fifo_we <= 1'b1;
                        fifo_wdata <= answer[0];
                        for (j = 0; j < N_OUT; j = j + 1) answer[j] <= answer[j+1];
                        if (count == N_WORDS - 1) begin
                            state <= LOAD;
                            count <= 0;
                        end else count <= count + 1;
                    end
                end
                default: state <= LOAD;
            endcase
        end
    end
endmodule
