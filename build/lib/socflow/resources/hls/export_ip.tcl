# socflow: C synthesis and IP export of socflow_ip (firmware/socflow_ip.cpp: the hls4ml model behind
# socflow's word protocol), the inference IP of the assessment design. Run in the hls4ml project folder, after
# hls4ml's own build_prj.tcl, with the same settings (project.tcl: part, clock) and compile options:
#
#   vitis-run --mode hls --tcl export_ip.tcl      (Vitis HLS 2024.1 and later)
#   vivado_hls -f export_ip.tcl                   (Vivado HLS)
#
# The exported Verilog is in socflow_ip_prj/solution1/impl/verilog; socflow's vivado_project adds it to the
# design next to socflow_axis.v.
source project.tcl
open_project -reset socflow_ip_prj
set_top socflow_ip
add_files firmware/${project_name}.cpp -cflags "-std=c++0x"
add_files firmware/socflow_ip.cpp -cflags "-std=c++0x"
open_solution -reset solution1
catch {config_array_partition -maximum_size $maximum_size}
config_compile -name_max_length 80
set_part $part
config_schedule -enable_dsp_full_reg=false
create_clock -period $clock_period -name default
set_clock_uncertainty $clock_uncertainty default
csynth_design
export_design -format ip_catalog -rtl verilog -version $version
exit
