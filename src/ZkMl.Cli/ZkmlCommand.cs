using ZkMl.Circuits;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Cli;

/// <summary>
/// The <c>zkml</c> commands, mirroring snarkjs's argument order so scripts can swap one for the other.
/// Exit codes: 0 success (and "OK" for a valid proof), 1 invalid proof or bad input (one line on stderr), 2 usage error.
/// </summary>
public static class ZkmlCommand
{
    /// <summary>Usage text printed by --help.</summary>
    public const string Usage = """
        zkml - Groth16 over BN254, compatible with circom and snarkjs

        Usage:
          zkml groth16 prove <circuit.zkey> <witness.wtns> <proof.json> <public.json>
              Prove with a snarkjs Groth16 .zkey and a circom .wtns witness; writes snarkjs-format JSON.
          zkml groth16 verify <verification_key.json> <public.json> <proof.json>
              Prints OK and exits 0 for a valid proof; exits 1 with the reason otherwise.
          zkml groth16 setup <circuit.r1cs> <powersoftau.ptau> <circuit.zkey>
              Groth16 keys from a phase-2-prepared powers of tau, with one fresh random phase-2 contribution.
          zkml groth16 devsetup <circuit.r1cs> <circuit.zkey>
              DEVELOPMENT ONLY: single-party setup with fresh random toxic waste (tests, benchmarks, local use).
          zkml zkey export verificationkey <circuit.zkey> <verification_key.json>
              Writes the verification key of a .zkey in snarkjs's JSON shape.
          zkml r1cs info <circuit.r1cs>
              Prints the size of a circom .r1cs file.
          zkml --help
              This text.

        Output files are written atomically (temporary file, then rename).
        """;

    /// <summary>Runs one command, writing normal output to <paramref name="stdout"/> and errors (one line) to <paramref name="stderr"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help" || args.Contains("--help") || args.Contains("-h"))
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        try
        {
            switch (args)
            {
                case ["groth16", "prove", var zkey, var wtns, var proof, var pub]:
                    return Prove(zkey, wtns, proof, pub, stdout);
                case ["groth16", "verify", var vk, var pub, var proof]:
                    return Verify(vk, pub, proof, stdout, stderr);
                case ["groth16", "setup", var r1cs, var ptau, var zkey]:
                    return Setup(r1cs, ptau, zkey, stdout);
                case ["groth16", "devsetup", var r1cs, var zkey]:
                    return DevSetup(r1cs, zkey, stdout, stderr);
                case ["zkey", "export", "verificationkey", var zkey, var vk]:
                    SnarkjsJson.WriteVerifyingKey(vk, Zkey.ReadVerifyingKey(zkey));
                    return 0;
                case ["r1cs", "info", var r1cs]:
                    return R1csInfo(r1cs, stdout);
                default:
                    stderr.WriteLine($"error: unknown command or wrong number of arguments: zkml {string.Join(' ', args)}");
                    stderr.WriteLine("run 'zkml --help' for usage");
                    return 2;
            }
        }
        catch (Exception e) when (e is SnarkFormatException or WitnessException or CircuitWitnessException or FormatException or IOException
                                      or UnauthorizedAccessException or ArgumentException or InvalidDataException)
        {
            stderr.WriteLine($"error: {OneLine(e.Message)}");
            return 1;
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");

    private static int Prove(string zkeyPath, string wtnsPath, string proofPath, string publicPath, TextWriter stdout)
    {
        var witness = CircomWitness.ReadFile<Bn254Fr>(wtnsPath);
        var key = Zkey.ReadProvingKey(zkeyPath);
        var (proof, publicSignals) = new Groth16Prover().Prove(key, witness);
        SnarkjsJson.WriteProof(proofPath, proof);
        SnarkjsJson.WritePublicSignals(publicPath, publicSignals);
        return 0;
    }

    private static int Verify(string vkPath, string publicPath, string proofPath, TextWriter stdout, TextWriter stderr)
    {
        var vk = SnarkjsJson.ReadVerifyingKey(vkPath);
        var publicSignals = SnarkjsJson.ReadPublicSignals(publicPath);
        var proof = SnarkjsJson.ReadProof(proofPath);
        if (publicSignals.Length != vk.PublicCount)
        {
            stderr.WriteLine($"INVALID: {publicPath} has {publicSignals.Length} public signals, the verification key expects {vk.PublicCount}");
            return 1;
        }
        var reason = Groth16Verifier.Check(vk, publicSignals, proof);
        if (reason is null)
        {
            stdout.WriteLine("OK");
            return 0;
        }
        stderr.WriteLine($"INVALID: {reason}");
        return 1;
    }

    private static int Setup(string r1csPath, string ptauPath, string zkeyPath, TextWriter stdout)
    {
        var r1cs = CircomR1cs.ReadFile<Bn254Fr>(r1csPath);
        var key = Groth16Setup.FromPtau(r1cs, ptauPath);
        Zkey.Write(key, zkeyPath);
        stdout.WriteLine($"wrote {zkeyPath}: {key.VariableCount} wires, {key.PublicCount} public, domain 2^{System.Numerics.BitOperations.Log2((uint)key.DomainSize)}");
        return 0;
    }

    private static int DevSetup(string r1csPath, string zkeyPath, TextWriter stdout, TextWriter stderr)
    {
        var r1cs = CircomR1cs.ReadFile<Bn254Fr>(r1csPath);
        stderr.WriteLine("warning: single-party development setup; whoever runs it could forge proofs. Not for production keys.");
        var key = Groth16Setup.Development(r1cs);
        Zkey.Write(key, zkeyPath);
        stdout.WriteLine($"wrote {zkeyPath}: {key.VariableCount} wires, {key.PublicCount} public, domain 2^{System.Numerics.BitOperations.Log2((uint)key.DomainSize)}");
        return 0;
    }

    private static int R1csInfo(string path, TextWriter stdout)
    {
        var r1cs = CircomR1cs.ReadFile<Bn254Fr>(path);
        stdout.WriteLine("Curve: bn-128");
        stdout.WriteLine($"# of Wires: {r1cs.WireCount}");
        stdout.WriteLine($"# of Constraints: {r1cs.ConstraintCount}");
        stdout.WriteLine($"# of Private Inputs: {r1cs.PrivateInputCount}");
        stdout.WriteLine($"# of Public Inputs: {r1cs.PublicInputCount}");
        stdout.WriteLine($"# of Outputs: {r1cs.PublicOutputCount}");
        stdout.WriteLine($"# of Non-zero Coefficients: {r1cs.NonZeroCount}");
        return 0;
    }
}
