using System.Text;
using ZkMl.Circuits;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Ceremony;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Stark;
using ZkMl.Sumcheck;
using ZkMl.Training;
using ZkMl.Training.Contract;
using ZkMl.Training.Shards;

namespace ZkMl.Fuzz;

/// <summary>
/// Every fuzz target, one per decoder and verifier entry point. The allowed exceptions are the ones each entry point's
/// XML documentation names; the bounds are generous for honest inputs of corpus size and far below what an
/// unchecked length field would make a decoder allocate.
/// </summary>
internal static class Targets
{
    private const long MiB = 1 << 20;
    private static readonly TimeSpan Decode = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Verify = TimeSpan.FromSeconds(10);

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        // Binary iden3 containers: the zkey/ptau readers take a path, so the input goes through a scratch file.
        new("zkey-pk", b => { Zkey.ReadProvingKey(Scratch.Write(b, "zkey")); return "ok"; }, [typeof(SnarkFormatException)], 32 * MiB, 64, Decode),
        new("zkey-vk", b => { Zkey.ReadVerifyingKey(Scratch.Write(b, "zkey")); return "ok"; }, [typeof(SnarkFormatException)], 16 * MiB, 32, Decode),
        new("ptau", b => { Groth16Setup.FromPtau(Fixtures.MulR1cs, Scratch.Write(b, "ptau")); return "ok"; }, [typeof(SnarkFormatException)], 32 * MiB, 64, Verify),
        // Ceremony verification (snarkjs-compatible phase 1 and 2): every contribution's proofs and pairings are replayed.
        new("ptau-verify", b => PowersOfTau.Verify(Scratch.Write(b, "ptau")).Count.ToString(), [typeof(SnarkFormatException)], 32 * MiB, 64, Verify),
        new("zkey-verify", b => ZkeyCeremony.Verify(Fixtures.MulR1cs, Fixtures.MulPtauPath, Scratch.Write(b, "zkey")).Count.ToString(), [typeof(SnarkFormatException)], 32 * MiB, 64, Verify),
        new("r1cs", b => { CircomR1cs.Read<Bn254Fr>(b); return "ok"; }, [typeof(CircomFormatException)], 16 * MiB, 64, Decode),
        new("wtns", b => { CircomWitness.Read<Bn254Fr>(b); return "ok"; }, [typeof(CircomFormatException)], 16 * MiB, 32, Decode),
        // snarkjs JSON: text in, typed exception out; the same UTF-8 decoding ReadText does.
        new("snarkjs-vk", b => { SnarkjsJson.ParseVerifyingKey(Text(b)); return "ok"; }, [typeof(SnarkFormatException)], 16 * MiB, 64, Decode),
        new("snarkjs-proof", b => { SnarkjsJson.ParseProof(Text(b)); return "ok"; }, [typeof(SnarkFormatException)], 16 * MiB, 64, Decode),
        new("snarkjs-public", b => { SnarkjsJson.ParsePublicSignals(Text(b)); return "ok"; }, [typeof(SnarkFormatException)], 16 * MiB, 64, Decode),
        // Groth16 verification of a fuzzed proof.json, optionally followed by a NUL and a fuzzed public.json.
        new("groth16-verify", Groth16Verify, [typeof(SnarkFormatException), typeof(ArgumentException)], 16 * MiB, 64, Verify),
        new("stark-proof", b => { StarkProof.FromBytes(b); return "ok"; }, [typeof(StarkProofFormatException)], 16 * MiB, 64, Decode),
        // Verify(bytes) documents false for anything malformed: no exception is allowed at all.
        new("stark-verify", b => StarkVerifier.Verify(Fixtures.FibAir, b, StarkParameters.InsecureTestOnly).ToString(), [], 32 * MiB, 64, Verify),
        new("contract", b => { TrainingContract.Decode(b); return "ok"; }, [typeof(ContractFormatException)], 4 * MiB, 64, Decode),
        new("shard-attestation", b => { ShardAttestation.Decode(b); return "ok"; }, [typeof(ShardFormatException)], 4 * MiB, 64, Decode),
        // A contributor's exported rows and salts, as the trainer imports them (recommitting them: Poseidon allocates), fixed small shape.
        new("shard-secret", b => { ShardContributor.ImportSecret(b, new ShardParameters(8, 8, 4, 10)); return "ok"; }, [typeof(ShardFormatException)], 32 * MiB, 64, Decode),
        new("transcript", b => { TrainingTranscript.Parse(b); return "ok"; }, [typeof(TranscriptFormatException)], 16 * MiB, 64, Decode),
        // A whole run under a fixed small STARK contract: only the transcript parse may throw; the verdict is a value.
        new("verify-run", VerifyRun, [typeof(TranscriptFormatException)], 64 * MiB, 64, Verify),
        // Sumcheck proofs, decoded and verified against fixed small statements (SumcheckFuzz); the verdict is a value.
        new("lookup-proof", b => SumcheckFuzz.VerifyLookup(b).ToString(), [typeof(ProofFormatException)], 4 * MiB, 64, Verify),
        new("ligero-opening", b => SumcheckFuzz.VerifyOpening(b).ToString(), [typeof(ProofFormatException)], 4 * MiB, 64, Verify),
        new("ligero-zero-tail", b => SumcheckFuzz.VerifyZeroTail(b).ToString(), [typeof(ProofFormatException)], 4 * MiB, 64, Verify),
        new("masked-sumcheck", b => SumcheckFuzz.VerifyMasked(b).ToString(), [typeof(ProofFormatException)], 4 * MiB, 64, Verify),
        new("zk-sumcheck", b => SumcheckFuzz.VerifyZkSumcheck(b).ToString(), [typeof(ProofFormatException)], 4 * MiB, 64, Verify),
        new("zk-fractional-gkr", b => SumcheckFuzz.VerifyZkGkr(b).ToString(), [typeof(ProofFormatException)], 4 * MiB, 64, Verify),
        new("zk-linear-reduction", b => SumcheckFuzz.VerifyZkLinear(b).ToString(), [typeof(ProofFormatException)], 4 * MiB, 64, Verify),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    // Invalid UTF-8 becomes U+FFFD, as File.ReadAllText would make it.
    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);

    private static string Groth16Verify(byte[] b)
    {
        int nul = Array.IndexOf(b, (byte)0);
        var proof = SnarkjsJson.ParseProof(Text(nul < 0 ? b : b[..nul]));
        var signals = nul < 0 ? Fixtures.MulPublic : SnarkjsJson.ParsePublicSignals(Text(b[(nul + 1)..]));
        return Groth16Verifier.Verify(Fixtures.MulVk, signals, proof).ToString();
    }

    private static string VerifyRun(byte[] b)
    {
        var transcript = TrainingTranscript.Parse(b);
        var result = Fixtures.RunVerifier.VerifyRun(transcript);
        return result.IsValid ? "accepted" : "rejected";
    }
}
