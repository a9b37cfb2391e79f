using ZkMl.Models;

namespace ZkMl.Training.Backends;

/// <summary>Proves single SGD steps for one backend (internal seam so each proof system plugs in behind the public API).</summary>
internal interface IStepProver
{
    Backend Backend { get; }
    QuantizedNetworkConfig Network { get; }
    /// <summary>A fresh random salt for a weight commitment (empty when the backend's commitments are unsalted).</summary>
    byte[] NewSalt();
    /// <summary>The backend's commitment to a network's weights (what its step proofs bind as public inputs).</summary>
    byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt);
    /// <summary>
    /// Proves <paramref name="statement"/>: W' = SgdStep(W, batch) where W = <paramref name="before"/> opens the statement's
    /// commitment before with <paramref name="saltBefore"/>, W' opens its commitment after with <paramref name="saltAfter"/>, and the
    /// batch is the rows of <paramref name="data"/> at the statement's positions; bound to its contract digest and step index.
    /// </summary>
    byte[] ProveStep(StepStatement statement, QuantizedNetwork before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, DatasetCommitment data);

    /// <summary>As the other overload, reporting the fraction of the proof done (0 to 1) to <paramref name="progress"/> where the backend can.</summary>
    byte[] ProveStep(StepStatement statement, QuantizedNetwork before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, DatasetCommitment data,
        IProgress<double>? progress) => ProveStep(statement, before, saltBefore, saltAfter, data);
}
