#!/usr/bin/env bash
# A real single-node Slurm on this machine, for the workflow's Slurm test and for trying the slurm profile:
#   tools/slurm-local.sh start   install slurmctld/slurmd/munge from Debian if missing, write slurm.conf, start daemons
#   tools/slurm-local.sh stop    stop the daemons started here
# The config goes to /etc/slurm/slurm.conf (where jobs' own srun calls look for it); state lives in
# $SOCFLOW_SLURM_DIR (default /tmp/socflow-slurm). Needs root (Debian packages, munge, slurmd).
# Job states: there is no accounting database, so use `--slurm-status-command squeue`; finished jobs are also
# recorded by jobcomp/filetxt in $SOCFLOW_SLURM_DIR/jobcomp.txt.
set -euo pipefail
DIR=${SOCFLOW_SLURM_DIR:-/tmp/socflow-slurm}
CONF=/etc/slurm/slurm.conf

install() {
  local missing=()
  for p in slurmctld slurmd slurm-client munge; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

start() {
  install
  mkdir -p "$DIR"/{state,spool,log} /etc/slurm
  chown -R slurm: "$DIR"
  mkdir -p /run/munge && chown munge: /run/munge
  pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged
  local host cpus mem
  host=$(hostname -s)
  getent hosts "$host" >/dev/null || echo "127.0.0.1 $host" >> /etc/hosts
  cpus=$(nproc)
  mem=$(( $(awk '/MemAvailable/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
  cat > "$CONF" <<CONF
ClusterName=socflow
SlurmctldHost=$host
SlurmUser=slurm
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MinJobAge=600
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/jobcomp.txt
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  /usr/sbin/slurmctld -f "$CONF" -i
  /usr/sbin/slurmd -f "$CONF"
  for _ in $(seq 30); do
    sinfo -h -o %T 2>/dev/null | grep -qE "idle|mixed" && { echo "slurm up ($CONF)"; return 0; }
    sleep 1
  done
  echo "slurm did not come up; see $DIR/log" >&2
  return 1
}

stop() {
  for f in "$DIR/slurmd.pid" "$DIR/slurmctld.pid"; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
