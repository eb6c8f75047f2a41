#!/usr/bin/env bash
# End-to-end proof of the Slurm path (run on demand, as root, on a Debian/Ubuntu machine; not part of the tests):
# installs slurm-wlm and munge, starts a one-node cluster on 127.0.0.1 (munged, slurmctld, slurmd with a private
# configuration under a temporary folder), plans a 4-row sweep, submits it as a job array, waits, merges, and checks
# the merged rows against the same sweep run locally. Every daemon it starts is stopped on exit.
#
#   sudo bash scripts/slurm-e2e.sh            # keep the work folder with KEEP=1
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/ecsmm-slurm-e2e.XXXXXX)"
chmod 755 "$WORK"
PIDS=()

log() { printf '[slurm-e2e] %s\n' "$*"; }

cleanup() {
  set +e
  if [[ -n "${SLURM_CONF:-}" ]] && command -v scancel >/dev/null; then scancel --quiet --user=root 2>/dev/null; fi
  for f in "$WORK/slurmd.pid" "$WORK/slurmctld.pid" "$WORK/munged.pid"; do
    if [[ -s "$f" ]]; then
      pid="$(cat "$f")"
      kill "$pid" 2>/dev/null
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null
    fi
  done
  if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; else log "work folder kept: $WORK"; fi
}
trap cleanup EXIT

if [[ $(id -u) -ne 0 ]]; then echo "run as root (it installs packages and starts daemons)" >&2; exit 2; fi

log "installing slurm-wlm and munge"
export DEBIAN_FRONTEND=noninteractive
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge >/dev/null
fi

log "starting munged"
install -d -o munge -g munge -m 0700 "$WORK/munge-etc" "$WORK/munge-lib"
install -d -o munge -g munge -m 0755 "$WORK/munge-run"
dd if=/dev/urandom of="$WORK/munge-etc/munge.key" bs=1024 count=1 status=none
chown munge:munge "$WORK/munge-etc/munge.key"; chmod 0400 "$WORK/munge-etc/munge.key"
SOCKET=/run/munge/munge.socket.2   # where libmunge (and so Slurm's auth/munge) looks by default
install -d -o munge -g munge -m 0755 /run/munge
if [[ -S "$SOCKET" ]]; then echo "a munged is already running at $SOCKET; stop it first" >&2; exit 2; fi
runuser -u munge -- munged --key-file="$WORK/munge-etc/munge.key" --socket="$SOCKET" \
  --pid-file="$WORK/munge-run/munged.pid" --log-file="$WORK/munge-lib/munged.log" --seed-file="$WORK/munge-lib/munged.seed"
cp "$WORK/munge-run/munged.pid" "$WORK/munged.pid"
munge -n | unmunge >/dev/null

log "writing slurm.conf for one node on 127.0.0.1"
NODE="$(hostname -s)"
CPUS="$(nproc)"
MEM_MB=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
mkdir -p "$WORK/state" "$WORK/spool" "$WORK/logs"
cat > "$WORK/slurm.conf" <<CONF
ClusterName=ecsmm-e2e
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
SlurmctldPort=46817
SlurmdPort=46818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=e2e Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$WORK/slurm.conf"

log "starting slurmctld and slurmd"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
  state="$(sinfo -h -n "$NODE" -o %t 2>/dev/null || true)"
  [[ "$state" == idle* ]] && break
  sleep 1
done
sinfo
[[ "$(sinfo -h -n "$NODE" -o %t)" == idle* ]] || { echo "node did not come up"; tail -20 "$WORK/slurmctld.log" "$WORK/slurmd.log"; exit 1; }

log "building ecsmm"
dotnet build "$REPO/src/Scenarios/EcsMm.Scenarios.csproj" -c Release -v q -nologo >/dev/null
ECSMM=(dotnet "$REPO/src/Scenarios/bin/Release/net10.0/ecsmm.dll")

log "planning a 4-row sweep"
cat > "$WORK/churn.yaml" <<'YAML'
name: e2e-churn
seed: 1
iterations: 2
guest:
  memory: 256M
iteration:
  - churn: {operations: 20000, live: 32M, min_order: 0, max_order: 3, free_at_end: false}
YAML
cat > "$WORK/grid.yaml" <<'YAML'
scenario: churn.yaml
seed: 42
grid:
  guest.memory: [256M, 512M]
  iterations: [1, 2]
YAML
"${ECSMM[@]}" sweep plan "$WORK/grid.yaml" -o "$WORK/manifest.csv"
ROWS=$(( $(wc -l < "$WORK/manifest.csv") - 1 ))
[[ $ROWS -eq 4 ]] || { echo "expected 4 rows, got $ROWS"; exit 1; }

log "submitting the job array 0-$((ROWS - 1)) and waiting"
sbatch --wait --array=0-$((ROWS - 1)) --job-name=ecsmm-e2e --chdir="$WORK" \
  --output="$WORK/logs/%A_%a.out" --error="$WORK/logs/%A_%a.err" \
  --wrap="$(printf '%q ' "${ECSMM[@]}") sweep run $WORK/manifest.csv --out $WORK/slurm-results"
cat "$WORK"/logs/*.out

log "merging"
"${ECSMM[@]}" sweep merge "$WORK/slurm-results" -o "$WORK/merged-slurm.csv"

log "running the same manifest locally"
"${ECSMM[@]}" sweep run "$WORK/manifest.csv" --out "$WORK/local-results" --parallel 2 --quiet
"${ECSMM[@]}" sweep merge "$WORK/local-results" -o "$WORK/merged-local.csv"

if cmp -s "$WORK/merged-slurm.csv" "$WORK/merged-local.csv"; then
  log "PASS: $(($(wc -l < "$WORK/merged-slurm.csv") - 1)) merged lines from $ROWS Slurm array tasks equal the local run"
else
  diff "$WORK/merged-slurm.csv" "$WORK/merged-local.csv" | head -20
  log "FAIL: Slurm and local results differ"
  exit 1
fi
