namespace ZkMl.Training.Circuits;

/// <summary>Where an SGD-step circuit's constraints go.</summary>
/// <param name="MultiplyAccumulates">Products of the forward pass, backward pass and gradients (one constraint each).</param>
/// <param name="ForwardBackwardRescales">Rescales (with their range checks) of z1, z2 and dh, plus ReLU, masks and one-hot labels.</param>
/// <param name="WeightUpdates">Range checks of W, rescales of the updates and range checks of W'.</param>
/// <param name="InputRangeChecks">Range checks of the batch inputs.</param>
/// <param name="Commitments">Poseidon commitments to W, W' and the batch, and the public-input bindings.</param>
public sealed record SgdStepConstraintCounts(int MultiplyAccumulates, int ForwardBackwardRescales, int WeightUpdates, int InputRangeChecks, int Commitments)
{
    /// <summary>All constraints.</summary>
    public int Total => MultiplyAccumulates + ForwardBackwardRescales + WeightUpdates + InputRangeChecks + Commitments;
}
