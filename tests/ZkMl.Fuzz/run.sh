#!/usr/bin/env bash
# Fuzzing ZkMl's decoders and verifiers with SharpFuzz + AFL++ (see FUZZING.md at the repository root).
#   run.sh install                 apt-get install afl++ (needs root or sudo) and restore the pinned sharpfuzz tool
#   run.sh build                   publish the harness and instrument the ZkMl assemblies (into $ZKML_FUZZ_DIR/bin)
#   run.sh seeds                   regenerate corpus/ and fixtures/ (snarkjs/circom via interop/, then our own files)
#   run.sh fuzz <target> <seconds> one AFL++ campaign; findings land in $ZKML_FUZZ_DIR/out/<target>/default/crashes
#   run.sh smoke [seconds]         every target for <seconds> (default 20); non-zero exit when any crash or hang is found
#   run.sh replay [<target> <path>...]  run files through the uninstrumented harness (all corpora + regressions by default)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${ZKML_FUZZ_DIR:-${TMPDIR:-/tmp}/zkml-fuzz}
bin=$work/bin
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# AFL++ must not refuse to start on a shared CI machine (core_pattern / CPU governor are not ours to change).
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
# The .NET runtime starts threads and maps a lot of memory before the fork server handshake.
export AFL_FORKSRV_INIT_TMOUT=60000 AFL_SKIP_BIN_CHECK=1
# Time bounds in the harness are for the uninstrumented build; the instrumented one is slower.
export ZKML_FUZZ_TIME_SCALE=${ZKML_FUZZ_TIME_SCALE:-4}
# .NET on a small runner: keep the GC heap to what one input may use.
export DOTNET_gcServer=0

targets() { dotnet "$bin/ZkMl.Fuzz.dll" list; }

# The assemblies whose branches AFL sees: everything of ours that parses or verifies.
instrumented=(ZkMl.Field ZkMl.Hashing ZkMl.Circuits ZkMl.Snark ZkMl.Stark ZkMl.Sumcheck ZkMl.Models ZkMl.Training)

case "${1:-}" in
  install)
    if ! command -v afl-fuzz >/dev/null; then
      sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends afl++ >/dev/null
    fi
    (cd "$here" && dotnet tool restore >/dev/null)
    ;;
  build)
    rm -rf "$bin"
    dotnet publish "$here/ZkMl.Fuzz.csproj" -c Release -o "$bin" >"$work.build.log" 2>&1 || { tail -30 "$work.build.log"; exit 1; }
    for a in "${instrumented[@]}"; do
      (cd "$here" && dotnet sharpfuzz "$bin/$a.dll" >/dev/null)
    done
    echo "instrumented: ${instrumented[*]} in $bin"
    ;;
  seeds)
    # snarkjs/circom outputs of the circuit SnarkjsFixture uses (tests/ZkMl.Snark.Tests), with a 2^3 ceremony.
    (cd "$root/interop" && [ -d node_modules/snarkjs ] || npm ci --no-audit --no-fund --loglevel=error)
    nm=$root/interop/node_modules
    tmp=$(mktemp -d)
    cat >"$tmp/mul.circom" <<'CIRCOM'
pragma circom 2.0.0;
template Mul() {
  signal input a;
  signal input b;
  signal input c;
  signal output out;
  signal t;
  t <== a * b;
  out <== t * c + a;
}
component main {public [a]} = Mul();
CIRCOM
    echo '{"a": "3", "b": "11", "c": "5"}' >"$tmp/input.json"
    sj() { (cd "$tmp" && node "$nm/snarkjs/build/cli.cjs" "$@" >/dev/null); }
    (cd "$tmp" && node "$nm/circom2/cli.js" mul.circom --r1cs --wasm -o . >/dev/null)
    (cd "$tmp" && node mul_js/generate_witness.js mul_js/mul.wasm input.json witness.wtns)
    sj powersoftau new bn128 3 pot0.ptau
    sj powersoftau contribute pot0.ptau pot1.ptau -e="fuzz seed entropy"
    sj powersoftau prepare phase2 pot1.ptau pot.ptau
    sj groth16 setup mul.r1cs pot.ptau mul0.zkey
    sj zkey contribute mul0.zkey mul.zkey -e="fuzz phase 2 entropy"
    sj zkey export verificationkey mul.zkey verification_key.json
    sj groth16 prove mul.zkey witness.wtns proof.json public.json
    c=$here/corpus f=$here/fixtures
    mkdir -p "$f" "$c"/{zkey-pk,zkey-vk,zkey-verify,ptau,ptau-verify,r1cs,wtns,snarkjs-vk,snarkjs-proof,snarkjs-public,groth16-verify}
    cp "$tmp/mul.r1cs" "$f/mul.r1cs"; cp "$tmp/witness.wtns" "$f/mul.wtns"
    cp "$tmp/verification_key.json" "$f/mul-verification_key.json"; cp "$tmp/public.json" "$f/mul-public.json"
    cp "$tmp/mul.zkey" "$c/zkey-pk/snarkjs-mul.zkey"; cp "$tmp/mul0.zkey" "$c/zkey-pk/snarkjs-mul-phase2-initial.zkey"
    cp "$tmp/mul.zkey" "$c/zkey-vk/snarkjs-mul.zkey"
    cp "$tmp/pot.ptau" "$c/ptau/snarkjs-pot3-prepared.ptau"; cp "$tmp/pot1.ptau" "$c/ptau/snarkjs-pot3-unprepared.ptau"
    cp "$tmp/pot.ptau" "$c/ptau-verify/snarkjs-pot3-prepared.ptau"; cp "$tmp/pot1.ptau" "$c/ptau-verify/snarkjs-pot3-unprepared.ptau"
    cp "$tmp/pot.ptau" "$f/mul-pot3-prepared.ptau"
    cp "$tmp/mul.zkey" "$c/zkey-verify/snarkjs-mul.zkey"; cp "$tmp/mul0.zkey" "$c/zkey-verify/snarkjs-mul-phase2-initial.zkey"
    cp "$tmp/mul.r1cs" "$c/r1cs/circom-mul.r1cs"; cp "$tmp/witness.wtns" "$c/wtns/circom-mul.wtns"
    cp "$tmp/verification_key.json" "$c/snarkjs-vk/snarkjs-verification_key.json"
    cp "$tmp/proof.json" "$c/snarkjs-proof/snarkjs-proof.json"; cp "$tmp/public.json" "$c/snarkjs-public/snarkjs-public.json"
    cp "$tmp/proof.json" "$c/groth16-verify/snarkjs-proof.json"
    { cat "$tmp/proof.json"; printf '\0'; cat "$tmp/public.json"; } >"$c/groth16-verify/snarkjs-proof-and-public.json"
    rm -rf "$tmp"
    dotnet run --project "$here/ZkMl.Fuzz.csproj" -c Release -- seeds "$c" "$f"
    ;;
  fuzz)
    target=$2 seconds=$3
    out=$work/out/$target
    rm -rf "$out"; mkdir -p "$out"
    # -t: per-exec hang limit (ms, instrumented build); -m none: the CLR reserves far more virtual memory than it uses,
    # the harness checks allocation per input itself.
    afl-fuzz -i "$here/corpus/$target" -o "$out" -t 20000 -m none -V "$seconds" -- dotnet "$bin/ZkMl.Fuzz.dll" "$target" \
      >"$out.log" 2>&1 || { echo "afl-fuzz $target failed:"; tail -20 "$out.log"; exit 1; }
    s=$out/default/fuzzer_stats
    stat() { sed -n "s/^$1 *: *//p" "$s"; }
    crashes=$(find "$out/default/crashes" -type f ! -name README.txt | wc -l)
    hangs=$(find "$out/default/hangs" -type f | wc -l)
    printf '%-16s execs %-8s paths %-5s map %-7s crashes %s hangs %s\n' "$target" "$(stat execs_done)" "$(stat corpus_count)" "$(stat bitmap_cvg)" "$crashes" "$hangs"
    [ "$crashes" -eq 0 ] && [ "$hangs" -eq 0 ]
    ;;
  smoke)
    seconds=${2:-20}
    status=0
    for t in $(targets); do "$0" fuzz "$t" "$seconds" || status=1; done
    [ $status -eq 0 ] || echo "fuzz smoke: findings under $work/out/*/default/{crashes,hangs}; reproduce with: $0 replay <target> <file>"
    exit $status
    ;;
  replay)
    shift
    [ -f "$bin/ZkMl.Fuzz.dll" ] || { echo "run '$0 build' first"; exit 1; }
    if [ $# -ge 2 ]; then t=$1; shift; exec dotnet "$bin/ZkMl.Fuzz.dll" "$t" --replay "$@"; fi
    status=0
    for t in $(targets); do
      dotnet "$bin/ZkMl.Fuzz.dll" "$t" --replay "$here/corpus/$t" $( [ -d "$here/regressions/$t" ] && echo "$here/regressions/$t") >/dev/null || { echo "replay $t: findings"; status=1; }
    done
    exit $status
    ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
