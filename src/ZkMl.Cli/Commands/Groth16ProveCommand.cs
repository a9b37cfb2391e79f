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
        var witness = FileErrors.About(wtnsPath, () => CircomWitness.ReadFile<Bn254Fr>(wtnsPath));
        var key = FileErrors.About(zkeyPath, () => Zkey.ReadProvingKey(zkeyPath, null, checkB2Subgroup: false));
        // A witness that does not satisfy the key's circuit is a problem of the witness file.
        // ... except the B2 subgroup check, which the prover makes on the proof's B for a key read without it.
        var (proof, publicSignals) = FileErrors.About(wtnsPath, () =>
        {
            try { return TerminalProgress.RunFraction("prove", progress => new Groth16Prover().Prove(key, witness, progress)); }
            catch (SnarkFormatException e) { throw new FileErrorException(zkeyPath, e.Message, e); }
        });
        FileErrors.About(proofPath, () => SnarkjsJson.WriteProof(proofPath, proof));
        FileErrors.About(publicPath, () => SnarkjsJson.WritePublicSignals(publicPath, publicSignals));
        return 0;
    }
}
