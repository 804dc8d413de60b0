#!/usr/bin/env bash
# Upload throughput and peak RSS of S3Vault to a local s3rver at UPLOAD_CONCURRENCY 1, 2, 4.
# Usage: bench/s3/run.sh [SIZE_MIB (default 1024)] [PART_SIZE_MB (default 32)]
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1024}
part=${2:-32}
export AWS_EC2_METADATA_DISABLED=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
[ -f tests/s3rver/node_modules/s3rver/bin/s3rver.js ] || (cd tests/s3rver && npm ci --no-audit --no-fund --silent)
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
node tests/s3rver/node_modules/s3rver/bin/s3rver.js -d "$data" -a 127.0.0.1 -p "$port" --configure-bucket autoglacier-bench --silent &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
sleep 2
dotnet build -c Release bench/s3/S3UploadBench.cs >/dev/null 2>&1 || dotnet run -c Release bench/s3/S3UploadBench.cs -- "http://127.0.0.1:$port" 1 8 "$part" >/dev/null
spool=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$data" "$spool"' EXIT
for c in 1 2 4; do
  /usr/bin/time -f "  peak RSS %M KiB" dotnet run -c Release --no-build bench/s3/S3UploadBench.cs -- "http://127.0.0.1:$port" "$c" "$size" "$part"
  /usr/bin/time -f "  peak RSS %M KiB" dotnet run -c Release --no-build bench/s3/S3UploadBench.cs -- "http://127.0.0.1:$port" "$c" "$size" "$part" "$spool"
done
