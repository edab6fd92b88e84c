// socflow_banks: the control of a two-bank buffer, shared by socflow's folded and conv cores (their templates in
// resources/rtl instantiate it; the memories themselves stay in the cores, whose widths and read ports differ).
//
// Frames of POSITIONS positions x GROUPS words arrive one word per `wr`: each is written into bank `wbank`, at
// position `waddr`, word group `wgroup`, while the reader works on bank `rbank`. A frame waits (`pending`) from
// its first word (COUNT_ON_FIRST = 1: a reader that computes while its input arrives, the folded core) or once
// it is complete (COUNT_ON_FIRST = 0: a reader that scans a whole map, the conv core); `take` (the reader begins on
// the waiting frame) moves `rbank` to it. Up to three frames may wait; the core's initiation interval keeps the
// writer at most one frame ahead, so a bank is never overwritten while it is read.
`timescale 1 ns / 1 ps

module socflow_banks #(
    parameter integer POSITIONS = 2,
    parameter integer GROUPS = 1,
    parameter integer ADDR_W = 1,  // bits of a position (socflow.rtl.widths.bits_for(POSITIONS))
    parameter integer GROUP_W = 1,  // bits of a word group
    parameter integer COUNT_ON_FIRST = 0
) (
    input wire clk,
    input wire rst,
    input wire wr,
    input wire take,
    output reg [ADDR_W-1:0] waddr,
    output reg [GROUP_W-1:0] wgroup,
    output reg wbank,
    output reg rbank,
    output wire pending
);
    reg next_bank;  // the bank the next frame to be read is in
    reg [1:0] waiting;  // frames counted (begun or complete) whose reading has not begun
    wire last_group = wgroup == GROUPS - 1;
    wire last_word = last_group && waddr == POSITIONS - 1;
    wire counted = wr && (COUNT_ON_FIRST != 0 ? waddr == 0 && wgroup == 0 : last_word);
    assign pending = waiting != 0;
    always @(posedge clk)
        if (rst) begin
            waddr <= 0;
            wgroup <= 0;
            wbank <= 1'b0;
            rbank <= 1'b0;
            next_bank <= 1'b0;
            waiting <= 0;
        end else begin
            if (wr) begin
                wgroup <= last_group ? 0 : wgroup + 1'b1;
                if (last_group) waddr <= (waddr == POSITIONS - 1) ? 0 : waddr + 1'b1;
                if (last_word) wbank <= !wbank;
            end
            case ({counted, take})
                2'b10: waiting <= waiting + 1'b1;
                2'b01: waiting <= waiting - 1'b1;
                default: ;
            endcase
            if (take) begin
                rbank <= next_bank;
                next_bank <= !next_bank;
            end
        end
endmodule
