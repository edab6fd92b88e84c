#!/usr/bin/env bash
# Debian packages socflow needs: g++ and make (hls4ml's C simulation, Verilator builds), perl (Verilator's
# driver script), tcl (tclsh: the generated Vivado Tcl is checked under it),
# ccache (Verilator's runtime library, the same in every RTL and board build, is compiled once), the RISC-V
# cross compiler and picolibc (the assessment SoC's firmware), libevent and json-c (LiteX's simulation). Installs
# only what is missing,
# so a second call does nothing. Run as root (or with sudo available).
set -euo pipefail
packages=(g++ make perl tcl ccache gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf libevent-dev libjson-c-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
