namespace ZkMl.Training.Contract;

/// <summary>One dense layer of the contract's network: its output width and whether it has a bias vector.</summary>
/// <param name="Width">Number of outputs (1..<see cref="ContractLimits.MaxWidth"/>).</param>
/// <param name="HasBias">True when the layer adds a bias (zero-initialised by the seeded rule).</param>
public readonly record struct ContractLayer(int Width, bool HasBias);
