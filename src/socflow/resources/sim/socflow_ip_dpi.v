// socflow_ip for the emulated board: the ports Vitis HLS gives the top function of resources/hls/socflow_ip.cpp
// (axis words_in / words_out, s_axilite control, ap_clk, ap_rst_n), with that function's C simulation behind
// them through DPI-C (socflow_ip_dpi.cc). The bitstream has the HLS-synthesized IP in its place.
//
// Handshakes and control are modelled as the HLS IP behaves on them: no word is taken before AP_CTRL (offset
// 0) gets ap_start; with auto-restart (bit 7) it keeps running, without it stops after one frame. Its timing is
// not the IP's: a word is taken on every cycle it is offered, the answer follows the frame's last word. Reads of
// the control registers are not modelled (socflow_axis never reads them).
`timescale 1 ns / 1 ps

module socflow_ip (
    input wire ap_clk,
    input wire ap_rst_n,
    input wire [31:0] words_in_TDATA,
    input wire words_in_TVALID,
    output wire words_in_TREADY,
    output reg [31:0] words_out_TDATA,
    output reg words_out_TVALID,
    input wire words_out_TREADY,
    input wire [5:0] s_axi_control_AWADDR,
    input wire s_axi_control_AWVALID,
    output wire s_axi_control_AWREADY,
    input wire [31:0] s_axi_control_WDATA,
    input wire [3:0] s_axi_control_WSTRB,
    input wire s_axi_control_WVALID,
    output wire s_axi_control_WREADY,
    output wire [1:0] s_axi_control_BRESP,
    output reg s_axi_control_BVALID,
    input wire s_axi_control_BREADY,
    input wire [5:0] s_axi_control_ARADDR,
    input wire s_axi_control_ARVALID,
    output wire s_axi_control_ARREADY,
    output wire [31:0] s_axi_control_RDATA,
    output wire [1:0] s_axi_control_RRESP,
    output wire s_axi_control_RVALID,
    input wire s_axi_control_RREADY,
    output wire interrupt
);
    import "DPI-C" function int socflow_ip_push(input int word);  // 1 when the word completed a frame
    import "DPI-C" function int socflow_ip_pending();  // answer words waiting
    import "DPI-C" function int socflow_ip_pop();
    import "DPI-C" function void socflow_ip_reset();

    reg started, auto_restart, aw_done, w_done;
    reg [5:0] aw_addr;
    reg [31:0] w_data;

    assign words_in_TREADY = ap_rst_n && started;
    assign s_axi_control_AWREADY = ap_rst_n && !aw_done && !s_axi_control_BVALID;
    assign s_axi_control_WREADY = ap_rst_n && !w_done && !s_axi_control_BVALID;
    assign s_axi_control_BRESP = 2'b00;
    assign s_axi_control_ARREADY = 1'b0;
    assign s_axi_control_RDATA = 32'd0;
    assign s_axi_control_RRESP = 2'b00;
    assign s_axi_control_RVALID = 1'b0;
    assign interrupt = 1'b0;

    always @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            started <= 1'b0;
            auto_restart <= 1'b0;
            aw_done <= 1'b0;
            w_done <= 1'b0;
            s_axi_control_BVALID <= 1'b0;
            words_out_TVALID <= 1'b0;
            words_out_TDATA <= 32'd0;
            socflow_ip_reset();
        end else begin
            // control: AW and W in any order, then B
            if (s_axi_control_AWVALID && s_axi_control_AWREADY) begin
                aw_done <= 1'b1;
                aw_addr <= s_axi_control_AWADDR;
            end
            if (s_axi_control_WVALID && s_axi_control_WREADY) begin
                w_done <= 1'b1;
                w_data <= s_axi_control_WDATA;
            end
            if (aw_done && w_done) begin
                aw_done <= 1'b0;
                w_done <= 1'b0;
                s_axi_control_BVALID <= 1'b1;
                if (aw_addr == 6'd0) begin
                    started <= w_data[0];
                    auto_restart <= w_data[7];
                end
            end
            if (s_axi_control_BVALID && s_axi_control_BREADY) s_axi_control_BVALID <= 1'b0;
            // data
            if (words_in_TVALID && words_in_TREADY) begin
                if (socflow_ip_push(words_in_TDATA) != 0 && !auto_restart) started <= 1'b0;
            end
            if (!words_out_TVALID || words_out_TREADY) begin
                if (socflow_ip_pending() != 0) begin
                    words_out_TDATA <= socflow_ip_pop();
                    words_out_TVALID <= 1'b1;
                end else begin
                    words_out_TVALID <= 1'b0;
                end
            end
        end
    end
endmodule
