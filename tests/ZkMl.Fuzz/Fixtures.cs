using ZkMl.Circuits.Circom;
using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Stark;
using ZkMl.Tests.Shared;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Fuzz;

/// <summary>
/// The fixed inputs the verifier targets check fuzzed data against, read from the committed fixtures/ folder:
/// the snarkjs "mul" circuit, its verification key and public signals, and the small training contract of the
/// verify-run corpus (all made by <c>run.sh seeds</c>).
/// </summary>
internal static class Fixtures
{
    public const int FibRows = 16;

    public static string Dir { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures");

    private static readonly Lazy<R1cs<Bn254Fr>> R1cs = new(() => CircomR1cs.ReadFile<Bn254Fr>(Path.Combine(Dir, "mul.r1cs")));
    private static readonly Lazy<Groth16VerifyingKey> Vk = new(() => SnarkjsJson.ReadVerifyingKey(Path.Combine(Dir, "mul-verification_key.json")));
    private static readonly Lazy<Bn254Fr[]> Public = new(() => SnarkjsJson.ReadPublicSignals(Path.Combine(Dir, "mul-public.json")));
    private static readonly Lazy<TrainingVerifier> Verifier = new(() =>
    {
        var contract = TrainingContract.Decode(File.ReadAllBytes(Path.Combine(Dir, "run-contract.bin")));
        return TrainingVerifier.Create(contract, new FiatShamirChallenge(contract));
    });

    public static R1cs<Bn254Fr> MulR1cs => R1cs.Value;
    /// <summary>The prepared 2^3 powers of tau the "mul" keys were made from (phase-2 verification needs it).</summary>
    public static string MulPtauPath => Path.Combine(Dir, "mul-pot3-prepared.ptau");
    public static Groth16VerifyingKey MulVk => Vk.Value;
    public static Bn254Fr[] MulPublic => Public.Value;
    public static TrainingVerifier RunVerifier => Verifier.Value;

    /// <summary>Fibonacci over 16 rows; its public result is fixed, so a proof for any other AIR is rejected.</summary>
    public static FibonacciAir FibAir { get; } = new(FibRows, FibonacciAir.Trace(FibRows)[1][FibRows - 1]);

    /// <summary>Loads every fixture now, so its one-time cost is not charged to the first input's time bound.</summary>
    public static void Warm()
    {
        _ = MulR1cs; _ = MulVk; _ = MulPublic; _ = RunVerifier; _ = StarkVerifier.Verify(FibAir, [], StarkParameters.InsecureTestOnly);
    }
}
