"""Stage 3 (rules of hls.smk): the student as an hls4ml project, its C simulation, the HLS IP top socflow_ip,
vendor HLS synthesis and its reports."""
