namespace ZkMl.Models;

/// <summary>One dense layer of a <see cref="NetworkDescription"/>: its number of outputs and whether it adds a bias.</summary>
/// <param name="Width">Outputs of the layer (its fan-out), 1..2^16.</param>
/// <param name="HasBias">Whether the layer adds a bias vector (scale 2^f) before its activation.</param>
public readonly record struct DenseLayer(int Width, bool HasBias = false);
