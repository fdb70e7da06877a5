#!/bin/sh
# Records terraform's machine-readable UI for the stream parser tests and
# benchmark from the fixture lab, with the terraform on PATH. Offline.
#   sh testdata/record-streams.sh   (from terraform/)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/streams"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1
: > "$TF_CLI_CONFIG_FILE"
unset TF_PLUGIN_CACHE_DIR
cp -r "$here/lab/modules" "$work/"
cp "$here/lab/root/main.tf" "$here/lab/root/step2_slow.tf" "$work/"
cd "$work"
# 11s of sleep gives one apply_progress message (terraform sends one every 10s).
printf '{"lab_id":"ab12cd34","sleep_seconds":11}\n' > gdlab.auto.tfvars.json
terraform init -input=false >/dev/null
terraform plan -json -input=false -out=plan.tfplan > "$out/plan.jsonl" || true
terraform apply -json -input=false plan.tfplan > "$out/apply.jsonl"
cp "$here/lab/root/step3_fail.tf" .
printf '{"lab_id":"ab12cd34","sleep_seconds":30,"message":"two"}\n' > gdlab.auto.tfvars.json
terraform init -input=false >/dev/null
# The interrupt arrives while module.slow sleeps; module.failing has failed by then.
terraform apply -json -input=false -auto-approve -replace=module.slow.terraform_data.wait > "$out/interrupted_apply.jsonl" &
pid=$!
sleep 3
kill -INT "$pid"
wait "$pid" || true
terraform destroy -json -input=false -auto-approve > "$out/destroy.jsonl"
