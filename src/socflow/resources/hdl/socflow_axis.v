// socflow_axis: glue between ComBlock's FIFOs and an inference IP with AXI-Stream ports and an HLS AXI-Lite
// control port (hls4ml io_stream IPs, or any IP that takes N_IN words and gives N_OUT score words), following
// socflow's stream protocol:
//
//   processor -> ComBlock OUT_FIFO -> AXI-Stream to the IP, TLAST on every N_IN-th word
//   IP -> N_OUT score words (signed, OUT_W low bits) -> argmax -> ComBlock IN_FIFO: the class index, then,
//        when SEND_SCORES, the N_OUT scores sign-extended to 32 bits
//   reset: ComBlock OREG0 bit 0; after reset, when START_IP, the IP is started once with auto-restart
//        (AP_CTRL at offset 0 <- 0x81), as the HLS driver's EnableAutoRestart + Start do
//
// Input and output run independently: an IP whose pipeline only moves on new input (it answers a frame when
// the next one arrives) keeps receiving words while an answer is pending (protocol.lag_frames covers it).
`timescale 1 ns / 1 ps

module socflow_axis #(
    parameter integer N_IN = 30,
    parameter integer N_OUT = 4,
    parameter integer OUT_W = 32,
    parameter integer SEND_SCORES = 1,
    parameter integer START_IP = 1
) (
    input wire clk,
    input wire rst,
    // ComBlock OUT_FIFO (processor -> fabric)
    output reg fifo_re,
    input wire [31:0] fifo_rdata,
    input wire fifo_rvalid,
    input wire fifo_empty,
    // ComBlock IN_FIFO (fabric -> processor)
    output reg fifo_we,
    output reg [31:0] fifo_wdata,
    input wire fifo_full,
    // AXI-Stream to the IP
    output reg [31:0] m_tdata,
    output reg m_tvalid,
    output reg m_tlast,
    input wire m_tready,
    // AXI-Stream from the IP
    input wire [31:0] s_tdata,
    input wire s_tvalid,
    output wire s_tready,
    // AXI-Lite control of the IP (write channel only)
    output reg [5:0] ctrl_awaddr,
    output reg ctrl_awvalid,
    input wire ctrl_awready,
    output reg [31:0] ctrl_wdata,
    output reg ctrl_wvalid,
    input wire ctrl_wready,
    input wire ctrl_bvalid,
    output reg ctrl_bready
);
    localparam integer N_WORDS = 1 + (SEND_SCORES != 0 ? N_OUT : 0);

    // --- start the IP once after reset -------------------------------------------------------------------
    reg started;
    always @(posedge clk) begin
        if (rst) begin
            started <= (START_IP == 0);
            ctrl_awvalid <= 1'b0;
            ctrl_wvalid <= 1'b0;
            ctrl_bready <= 1'b0;
            ctrl_awaddr <= 6'd0;
            ctrl_wdata <= 32'h81;
        end else if (!started) begin
            if (!ctrl_awvalid && !ctrl_wvalid && !ctrl_bready) begin
                ctrl_awvalid <= 1'b1;  // address and data offered together; each handshake completes on its own
                ctrl_wvalid <= 1'b1;
                ctrl_bready <= 1'b1;
            end else begin
                if (ctrl_awvalid && ctrl_awready) ctrl_awvalid <= 1'b0;
                if (ctrl_wvalid && ctrl_wready) ctrl_wvalid <= 1'b0;
                if (ctrl_bready && ctrl_bvalid && !ctrl_awvalid && !ctrl_wvalid) begin
                    ctrl_bready <= 1'b0;
                    started <= 1'b1;
                end
            end
        end
    end

    // --- input: ComBlock OUT_FIFO -> AXI-Stream, one FIFO read outstanding, one word held ----------------
    reg [15:0] in_count;
    reg pending;  // a FIFO read was issued, its word not yet here
    always @(posedge clk) begin
        fifo_re <= 1'b0;
        if (rst) begin
            m_tvalid <= 1'b0;
            m_tlast <= 1'b0;
            in_count <= 0;
            pending <= 1'b0;
        end else begin
            if (m_tvalid && m_tready) m_tvalid <= 1'b0;
            if (fifo_rvalid) begin
                m_tdata <= fifo_rdata;
                m_tvalid <= 1'b1;
                m_tlast <= (in_count == N_IN - 1);
                in_count <= (in_count == N_IN - 1) ? 16'd0 : in_count + 1;
                pending <= 1'b0;
            end else if (started && !pending && !fifo_empty && (!m_tvalid || m_tready) && !fifo_re) begin
                fifo_re <= 1'b1;
                pending <= 1'b1;
            end
        end
    end

    // --- output: N_OUT words from the IP -> argmax -> ComBlock IN_FIFO ------------------------------------
    reg [31:0] answer[0:N_OUT];
    reg [15:0] out_count;
    reg sending;
    reg [31:0] best;
    reg signed [OUT_W-1:0] best_score;
    wire signed [OUT_W-1:0] score = s_tdata[OUT_W-1:0];
    assign s_tready = !rst && !sending;
    always @(posedge clk) begin
        fifo_we <= 1'b0;
        if (rst) begin
            out_count <= 0;
            sending <= 1'b0;
        end else if (!sending) begin
            if (s_tvalid) begin
                answer[out_count+1] <= {{(32 - OUT_W) {score[OUT_W-1]}}, score};
                if (out_count == 0 || score > best_score) begin  // first maximum wins, as numpy.argmax
                    best <= out_count;
                    best_score <= score;
                end
                if (out_count == N_OUT - 1) begin
                    sending <= 1'b1;
                    out_count <= 0;
                end else out_count <= out_count + 1;
            end
        end else if (!fifo_full && !fifo_we) begin
            fifo_we <= 1'b1;
            fifo_wdata <= (out_count == 0) ? best : answer[out_count];
            if (out_count == N_WORDS - 1) begin
                sending <= 1'b0;
                out_count <= 0;
            end else out_count <= out_count + 1;
        end
    end
endmodule
