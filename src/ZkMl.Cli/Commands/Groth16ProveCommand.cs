using System.CommandLine;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml groth16 prove &lt;circuit.zkey&gt; &lt;witness.wtns&gt; &lt;proof.json&gt; &lt;public.json&gt;</c>, as snarkjs.</summary>
internal static class Groth16ProveCommand
{
    public static Command Create()
    {
        var zkey = new Argument<string>("circuit.zkey") { Description = "snarkjs Groth16 proving key" };
        var wtns = new Argument<string>("witness.wtns") { Description = "circom witness" };
        var proof = new Argument<string>("proof.json") { Description = "proof to write (snarkjs JSON)" };
        var pub = new Argument<string>("public.json") { Description = "public signals to write (snarkjs JSON)" };
        var command = new Command("prove", "Prove with a snarkjs Groth16 .zkey and a circom .wtns witness; writes snarkjs-format JSON.")
        {
            zkey, wtns, proof, pub,
        };
        command.SetAction(r => Run(r.GetRequiredValue(zkey), r.GetRequiredValue(wtns), r.GetRequiredValue(proof), r.GetRequiredValue(pub)));
        return command;
    }

    private static int Run(string zkeyPath, string wtnsPath, string proofPath, string publicPath)
    {
        AvoidCollections(zkeyPath);
        Bn254Fr[] witness;
        using (CliTelemetry.Source.StartActivity("wtns.read"))
            witness = FileErrors.About(wtnsPath, () => CircomWitness.ReadFile<Bn254Fr>(wtnsPath));
        Groth16ProvingKey key;
        using (CliTelemetry.Source.StartActivity("zkey.read"))
            key = FileErrors.About(zkeyPath, () => Zkey.ReadProvingKey(zkeyPath, null, checkB2Subgroup: false));
        // A witness that does not satisfy the key's circuit is a problem of the witness file.
        // ... except the B2 subgroup check, which the prover makes on the proof's B for a key read without it.
        var (proof, publicSignals) = FileErrors.About(wtnsPath, () =>
        {
            try
            {
                using var _ = CliTelemetry.Source.StartActivity("prove");
                return TerminalProgress.RunFraction("prove", progress => new Groth16Prover().Prove(key, witness, progress));
            }
            catch (SnarkFormatException e) { throw new FileErrorException(zkeyPath, e.Message, e); }
        });
        using (CliTelemetry.Source.StartActivity("write"))
        {
            FileErrors.About(proofPath, () => SnarkjsJson.WriteProof(proofPath, proof));
            FileErrors.About(publicPath, () => SnarkjsJson.WritePublicSignals(publicPath, publicSignals));
        }
        return 0;
    }

    /// <summary>Keys up to this size prove without a garbage collection (see <see cref="AvoidCollections"/>).</summary>
    internal const long NoCollectionKeyBytes = 16L << 20;

    /// <summary>
    /// A small proof allocates about six times its key's size in all (2^11: 9 MiB for a 1.5 MiB key), and the first
    /// collection, which came in the middle of the MSMs, was a blocking full one that compacted the key's arrays (1.2 ms
    /// and ~200 page faults of a ~30 ms proof). A process that ends after one proof can skip it: for keys up to
    /// <see cref="NoCollectionKeyBytes"/> the collector is asked for a no-GC region of eight times the key plus 16 MiB
    /// (address space reserved, pages touched only when used); an allocation beyond it just ends the region.
    /// </summary>
    private static void AvoidCollections(string zkeyPath)
    {
        try
        {
            long size = new FileInfo(zkeyPath).Length;
            if (size > NoCollectionKeyBytes) return;
            GC.TryStartNoGCRegion(8 * size + (16L << 20));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            // No key file (reported when it is read) or no region to be had: collect as usual.
        }
    }
}
