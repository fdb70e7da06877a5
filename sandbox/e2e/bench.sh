#!/usr/bin/env bash
# Benchmark of the sandbox lab (not a test: it asserts nothing, it prints figures).
#
#   sandbox/e2e/bench.sh            # 5 runs
#   RUNS=3 sandbox/e2e/bench.sh
#
# For each run, in a fresh lab folder: `gdlab run --auto --sandbox --json` (all nine
# steps, incident included) then `gdlab destroy --sandbox --yes`. It reports:
#   - the wall time of the whole lab, fresh folder to destroyed (goal: <= 45 s);
#   - the terraform commands those runs made (from .gdlab/terraform.log) and the wall
#     time of the same commands, same counts, on a trivial terraform_data configuration:
#     the bare cost of starting terraform that often (goal: sandbox <= 3x that);
#   - finding event -> instance isolated, in real time, from the incident engine's
#     milestones in .gdlab/gdlab.log (goal: <= 2 s, median over the runs).
# Needs go, terraform and python3.
set -euo pipefail

RUNS=${RUNS:-5}
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/gdlab-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The user's AWS and terraform settings must not leak into either measurement.
unset $(env | grep -oE '^(AWS_[A-Z_]*|TF_[A-Z_]*|GDLAB_[A-Z_]*)=' | tr -d '=') 2>/dev/null || true
export CHECKPOINT_DISABLE=1

now() { date +%s.%N; }

echo "building gdlab ..." >&2
(cd "$repo" && go build -o "$work/gdlab" ./cmd/gdlab)

: >"$work/results.tsv"
for i in $(seq 1 "$RUNS"); do
  lab="$work/lab$i"
  echo "run $i/$RUNS: lab, incident, destroy ..." >&2
  start=$(now)
  # From the repo, as a learner's clone: step 7 builds the function from its source.
  (cd "$repo" && "$work/gdlab" run --auto --sandbox --json --dir "$lab" >"$work/run$i.jsonl") ||
    { echo "run $i failed; see $work/run$i.jsonl" >&2; tail -1 "$work/run$i.jsonl" >&2; exit 1; }
  ran=$(now)
  (cd "$repo" && "$work/gdlab" destroy --sandbox --yes --dir "$lab" >"$work/destroy$i.txt" 2>&1) ||
    { echo "destroy $i failed:" >&2; cat "$work/destroy$i.txt" >&2; exit 1; }
  done_=$(now)
  python3 - "$lab" "$work/run$i.jsonl" "$start" "$ran" "$done_" >>"$work/results.tsv" <<'EOF'
import json, re, sys
from datetime import datetime
lab, jsonl, start, ran, done = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:])

# terraform commands, by kind, from the runner's log ("# <time> terraform <command>").
counts = {}
for line in open(f"{lab}/.gdlab/terraform.log", errors="replace"):
    m = re.match(r"# \S+ terraform (\w+)", line)
    if m:
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1

# Step 9's share of the run: from its step_started to run_finished.
def ts(e): return datetime.fromisoformat(e["time"].replace("Z", "+00:00")).timestamp()
events = [json.loads(l) for l in open(jsonl)]
step9 = next((ts(e) for e in events if e["event"] == "step_started" and e["step"] == 9), None)
fin = events[-1]
watch = ts(fin) - step9 if step9 else float("nan")

# The engine's milestones (real times): the finding event the isolation followed.
finding_at = isolated_at = None
for line in open(f"{lab}/.gdlab/gdlab.log"):
    rec = json.loads(line)
    msg = rec.get("msg", "")
    t = datetime.fromisoformat(rec["time"].replace("Z", "+00:00")).timestamp()
    if msg in ("sandbox incident: finding created", "sandbox incident: finding updated") and isolated_at is None:
        finding_at = t
    if msg == "sandbox incident: instance security groups changed" and isolated_at is None and finding_at:
        isolated_at = t
react = isolated_at - finding_at if isolated_at else float("nan")
print(f"{done-start:.2f}\t{ran-start:.2f}\t{done-ran:.2f}\t{watch:.2f}\t{react:.3f}\t{json.dumps(counts)}\t{fin.get('outcome')}")
EOF
done

# Bare terraform: the last run's commands, in its order, on a config with one terraform_data.
bare="$work/bare"
mkdir -p "$bare"
cat >"$bare/main.tf" <<'EOF'
resource "terraform_data" "bench" {
  input = "gdlab"
}
output "value" {
  value = terraform_data.bench.output
}
EOF
python3 - "$work/lab$RUNS/.gdlab/terraform.log" >"$work/bare.sh" <<'EOF'
import re, sys
tf = 'terraform -chdir="$bare"'
previous = ""
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"# \S+ terraform (\w+)", line)
    if not m:
        continue
    kind = m.group(1)
    if kind == "plan":
        cmd = f"{tf} plan -input=false -json -out=tfplan"
    elif kind == "apply":
        # The lab applies the plan it just saved; without one, apply plans itself.
        cmd = f"{tf} apply -input=false -json " + ("tfplan" if previous == "plan" else "-auto-approve")
    elif kind == "destroy":
        cmd = f"{tf} destroy -input=false -json -auto-approve"
    elif kind == "init":
        cmd = f"{tf} init -input=false -json"
    else:
        cmd = f"{tf} {kind} -json"
    print("{ " + cmd + "; } >/dev/null 2>&1")
    previous = kind
EOF
echo "bare terraform: the same $(wc -l <"$work/bare.sh") commands on a terraform_data config ..." >&2
bare_start=$(now)
(export bare; bash -e "$work/bare.sh")
bare_end=$(now)

python3 - "$work/results.tsv" "$bare_start" "$bare_end" <<'EOF'
import json, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
bare = float(sys.argv[3]) - float(sys.argv[2])
total = [float(r[0]) for r in rows]
run = [float(r[1]) for r in rows]
destroy = [float(r[2]) for r in rows]
watch = [float(r[3]) for r in rows]
react = [float(r[4]) for r in rows if r[4] != "nan"]
counts = json.loads(rows[-1][5])
n = sum(counts.values())
med = statistics.median
print()
print(f"gdlab sandbox lab, {len(rows)} runs (median; min-max)")
print(f"  {'fresh folder -> destroyed':34} {med(total):6.1f} s  ({min(total):.1f}-{max(total):.1f})   goal <= 45 s")
print(f"  {'  run --auto, steps 1-9':34} {med(run):6.1f} s")
print(f"  {'    of which step 9 (incident watch)':34} {med(watch):6.1f} s")
print(f"  {'  destroy + audit':34} {med(destroy):6.1f} s")
print(f"  {'terraform commands per lab':34} {n:6d}    {' '.join(f'{k} {v}' for k, v in sorted(counts.items()))}")
print(f"  {'bare terraform, same commands':34} {bare:6.1f} s")
print(f"  {'sandbox / bare':34} {med(total) / bare:6.2f} x    goal <= 3x")
print(f"  {'  without step 9':34} {(med(total) - med(watch)) / bare:6.2f} x")
if react:
    print(f"  {'finding event -> isolated (real)':34} {med(react):6.3f} s  ({min(react):.3f}-{max(react):.3f}, {len(react)} runs)   goal <= 2 s")
else:
    print("  finding event -> isolated: no milestones in .gdlab/gdlab.log (no incident engine?)")
print("  outcomes: " + ", ".join(r[6] for r in rows))
EOF
