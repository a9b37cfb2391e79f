using ZkMl.Models;

namespace ZkMl.Training;

/// <summary>Weights as they appear in a transcript: W1 [Hidden x Input] and W2 [Output x Hidden], row-major, scale 2^f.</summary>
public sealed class TranscriptWeights
{
    /// <summary>First-layer weights.</summary>
    public long[] W1 { get; init; } = [];
    /// <summary>Second-layer weights.</summary>
    public long[] W2 { get; init; } = [];
    /// <summary>The commitment salt of these weights (published so anyone can recompute their commitment).</summary>
    public byte[] Salt { get; init; } = [];

    /// <summary>Copies the weights of <paramref name="model"/> with their commitment <paramref name="salt"/>.</summary>
    public static TranscriptWeights From(QuantizedMlp model, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new TranscriptWeights { W1 = model.Weights1.ToArray(), W2 = model.Weights2.ToArray(), Salt = salt.ToArray() };
    }

    /// <summary>The network with these weights.</summary>
    /// <exception cref="ArgumentException">Lengths or ranges do not match <paramref name="config"/>.</exception>
    public QuantizedMlp ToModel(QuantizedMlpConfig config) => new(config, W1, W2);

    internal void AppendTo(IncrementalHashWriter h)
    {
        h.U32((uint)W1.Length);
        foreach (long w in W1) h.I64(w);
        h.U32((uint)W2.Length);
        foreach (long w in W2) h.I64(w);
        h.Bytes(Salt);
    }
}
