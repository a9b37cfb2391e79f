using System.Globalization;
using System.Text;
using ZkMl.Snark.Solidity;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Circuits;
using ZkMl.Training.Contract;

namespace ZkMl.Training.OnChain;

/// <summary>
/// Solidity sources of a Groth16 training run on chain (docs/onchain.md): the registry contract <c>ZkMlTrainingRuns</c>
/// for the contract's batch size, and one <c>Groth16Verifier</c> per circuit (<see cref="SolidityVerifier"/>) for the keys
/// the contract pins. Deploy the two verifiers, then the registry; register a run, post the chain root, draw, answer
/// (<see cref="TrainingRunCalldata"/>). Only the Groth16 backend is verifiable on chain.
/// </summary>
public static class TrainingRunContract
{
    private const string TemplateName = "ZkMl.Training.OnChain.TrainingRuns.sol.template";

    private static readonly Lazy<string> Template = new(LoadTemplate);

    /// <summary>The registry contract for runs of <paramref name="contract"/>'s batch size.</summary>
    /// <exception cref="NotSupportedException">The contract is not for Groth16.</exception>
    public static string Registry(TrainingContract contract)
    {
        CheckGroth16(contract);
        var batch = contract.BatchSize.ToString(CultureInfo.InvariantCulture);
        var membership = BatchMembershipCircuit.PublicInputCount(contract.BatchSize).ToString(CultureInfo.InvariantCulture);
        return Template.Value.Replace("{{BATCH_SIZE}}", batch, StringComparison.Ordinal)
            .Replace("{{MEMBERSHIP_PUBLIC_COUNT}}", membership, StringComparison.Ordinal);
    }

    /// <summary>The verifier contracts of the SGD-step and membership keys, after checking both against the contract's pins.</summary>
    /// <exception cref="ArgumentException">A key is not the one the contract pins.</exception>
    /// <exception cref="NotSupportedException">The contract is not for Groth16.</exception>
    public static (string Step, string Membership) Verifiers(TrainingContract contract, Groth16VerifyingKeys keys)
    {
        CheckGroth16(contract);
        ArgumentNullException.ThrowIfNull(keys);
        keys.CheckPinnedBy(contract);
        return (SolidityVerifier.Generate(keys.Step), SolidityVerifier.Generate(keys.Membership));
    }

    private static void CheckGroth16(TrainingContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (contract.Backend != Backend.Groth16)
            throw new NotSupportedException($"Only Groth16 step proofs are verifiable on chain; the contract's backend is {contract.Backend}.");
    }

    private static string LoadTemplate()
    {
        using var stream = typeof(TrainingRunContract).Assembly.GetManifestResourceStream(TemplateName)
            ?? throw new InvalidOperationException($"Embedded resource {TemplateName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
