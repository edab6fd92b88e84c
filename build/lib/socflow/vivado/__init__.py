"""The assessment design (rules of vivado.smk): the Vivado project around the inference IP, its checks under
tclsh, the bitstream where Vivado is, and the post-route reports."""
