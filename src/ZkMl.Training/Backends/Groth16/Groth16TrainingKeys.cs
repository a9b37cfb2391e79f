using ZkMl.Snark.Groth16;

namespace ZkMl.Training.Backends.Groth16;

/// <summary>The proving keys of the SGD-step and batch-membership circuits.</summary>
internal sealed record Groth16TrainingKeys(Groth16ProvingKey Step, Groth16ProvingKey Membership) : TrainingProvingKey
{
    /// <summary>The matching verifying keys (what a contract pins).</summary>
    internal Groth16VerifyingKeys VerifyingKeys { get; } = new(Step.VerifyingKey, Membership.VerifyingKey);
}
