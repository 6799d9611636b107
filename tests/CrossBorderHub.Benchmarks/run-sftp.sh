#!/usr/bin/env bash
# SFTP pickup benchmark: the hub's SFTP inbound channel vs OpenSSH's `sftp -b`, against the same local sshd,
# on 1,000 x 10 KB files and on one 1 GB file. Needs root (sshd, root login by key) and openssh-server.
# Usage: tests/CrossBorderHub.Benchmarks/run-sftp.sh [runs=3]   (data generated under /tmp, removed at the end)
set -euo pipefail
RUNS=${1:-3}
SETS=${SETS:-small large}   # e.g. SETS=small to skip the 1 GB file
PARALLELISM=${PARALLELISM:-8}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/hub-sftp-bench.XXXXXX)
SSHD_PID=""
cleanup() { [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
[ -x /usr/sbin/sshd ] || { echo "install: apt-get install -y openssh-server" >&2; exit 2; }

# A free loopback port.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ssh-keygen -q -t ed25519 -N "" -f "$WORK/host_key"
ssh-keygen -q -t ed25519 -N "" -f "$WORK/user_key"
cp "$WORK/user_key.pub" "$WORK/authorized_keys"
HOSTKEY=$(ssh-keygen -l -f "$WORK/host_key.pub" | awk '{print $2}')
cat > "$WORK/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $WORK/host_key
PidFile $WORK/sshd.pid
AuthorizedKeysFile $WORK/authorized_keys
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
Subsystem sftp internal-sftp
LogLevel ERROR
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -D -e -f "$WORK/sshd_config" & SSHD_PID=$!
for _ in $(seq 50); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done

# The bench console: a throwaway project that compiles Sftp/*.cs against the channels.
mkdir -p "$WORK/app"
cat > "$WORK/app/SftpBench.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings><Optimize>true</Optimize></PropertyGroup>
  <ItemGroup>
    <Compile Include="$REPO/tests/CrossBorderHub.Benchmarks/Sftp/*.cs" />
    <ProjectReference Include="$REPO/src/CrossBorderHub.Channels/CrossBorderHub.Channels.csproj" />
  </ItemGroup>
</Project>
PROJ
echo 'return await CrossBorderHub.Benchmarks.Sftp.SftpPickup.RunAsync(args);' > "$WORK/app/Program.cs"
dotnet build -c Release -o "$WORK/bin" "$WORK/app/SftpBench.csproj" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }

# Data sets, made once: 1,000 x 10 KB and 1 x 1 GB of random bytes.
mkdir -p "$WORK/data/small" "$WORK/data/large"
for i in $(seq -w 1 1000); do head -c 10240 /dev/urandom > "$WORK/data/small/f$i.edi"; done
case " $SETS " in *" large "*) head -c 1073741824 /dev/urandom > "$WORK/data/large/big.bin";; esac

SFTP=(sftp -q -b - -i "$WORK/user_key" -P "$PORT" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.1)
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }

for set in $SETS; do
  : > "$WORK/sftp-$set.times"; : > "$WORK/hub-$set.times"; : > "$WORK/hub-$set.mem"
  for run in $(seq "$RUNS"); do
    # OpenSSH sftp: get every file, then remove it (the hub deletes after pickup too).
    rm -rf "$WORK/remote" "$WORK/out"; cp -al "$WORK/data/$set" "$WORK/remote"; mkdir -p "$WORK/out"
    sync; start=$(now)
    printf 'lcd %s\ncd %s\nget *\nrm *\n' "$WORK/out" "$WORK/remote" | "${SFTP[@]}" > /dev/null
    echo "$(now) - $start" | bc >> "$WORK/sftp-$set.times"
    # The hub's channel: claim (rename), stream to the sink, delete.
    rm -rf "$WORK/remote" "$WORK/out"; cp -al "$WORK/data/$set" "$WORK/remote"; mkdir -p "$WORK/out"
    sync
    line=$("$WORK/bin/SftpBench" --host 127.0.0.1 --port "$PORT" --user root --key "$WORK/user_key" --hostkey "$HOSTKEY" --remote "$WORK/remote" --sink "$WORK/out" --parallelism "$PARALLELISM")
    echo "hub $set run $run: $line" >&2
    # Every byte must have arrived: the same set of file contents as the source.
    digest() { md5sum "$1"/* | awk '{print $1}' | sort | md5sum; }
    [ "$(digest "$WORK/out")" = "$(digest "$WORK/data/$set")" ] || { echo "hub $set run $run: content differs from the source" >&2; exit 1; }
    [ "$(find "$WORK/out" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')" = "$(find "$WORK/data/$set" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')" ] || { echo "hub $set run $run: sizes differ" >&2; exit 1; }
    echo "$line" | sed 's/.*seconds=\([0-9.]*\).*/\1/' >> "$WORK/hub-$set.times"
    echo "$line" | sed 's/.*peak_working_set_mb=\([0-9]*\).*/\1/' >> "$WORK/hub-$set.mem"
  done
done

bytes_small=$((1000 * 10240)); bytes_large=1073741824
echo "| data set | client | median seconds | files/s | MB/s | hub/sftp throughput | hub peak working set |"
echo "|---|---|---|---|---|---|---|"
for set in $SETS; do
  files=$([ $set = small ] && echo 1000 || echo 1); bytes=$([ $set = small ] && echo $bytes_small || echo $bytes_large)
  s=$(median < "$WORK/sftp-$set.times"); h=$(median < "$WORK/hub-$set.times"); mem=$(median < "$WORK/hub-$set.mem")
  label=$([ $set = small ] && echo "1,000 x 10 KB" || echo "1 x 1 GB")
  printf '| %s | OpenSSH sftp -b | %.2f | %.0f | %.1f | | |\n' "$label" "$s" "$(echo "$files / $s" | bc -l)" "$(echo "$bytes / 1048576 / $s" | bc -l)"
  printf '| %s | hub SFTP channel | %.2f | %.0f | %.1f | %.2fx | %s MB |\n' "$label" "$h" "$(echo "$files / $h" | bc -l)" "$(echo "$bytes / 1048576 / $h" | bc -l)" "$(echo "$s / $h" | bc -l)" "$mem"
done
