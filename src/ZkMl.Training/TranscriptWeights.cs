using System.Text.Json.Serialization;
using ZkMl.Models;

namespace ZkMl.Training;

/// <summary>
/// A network's parameters as they appear in a transcript, in one of two forms (docs/protocol.md): the two-layer form
/// <see cref="W1"/> [Hidden x Input] and <see cref="W2"/> [Output x Hidden] (transcript version 2, kept for the two-layer
/// network without biases so its transcripts stay byte-identical), or <see cref="Layers"/>, every layer's weights and
/// biases (version 3, any other network). All values row-major at scale 2^f.
/// </summary>
public sealed class TranscriptWeights
{
    /// <summary>First-layer weights (two-layer form; empty in the layer form).</summary>
    public long[] W1 { get; init; } = [];
    /// <summary>Second-layer weights (two-layer form; empty in the layer form).</summary>
    public long[] W2 { get; init; } = [];
    /// <summary>Every layer's weights and biases (layer form); null in the two-layer form (then absent from the JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TranscriptLayer>? Layers { get; init; }
    /// <summary>The commitment salt of these weights (published so anyone can recompute their commitment).</summary>
    public byte[] Salt { get; init; } = [];

    /// <summary>True for the two-layer form (<see cref="W1"/>, <see cref="W2"/>), false for the layer form.</summary>
    internal bool IsTwoLayerForm => Layers is null;

    /// <summary>
    /// Copies the parameters of <paramref name="network"/> with their commitment <paramref name="salt"/>: the two-layer form
    /// for two layers without biases, the layer form otherwise.
    /// </summary>
    public static TranscriptWeights From(QuantizedNetwork network, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(network);
        var shape = network.Network;
        if (shape.IsTwoLayerWithoutBiases)
            return new TranscriptWeights { W1 = network.Weights(0).ToArray(), W2 = network.Weights(1).ToArray(), Salt = salt.ToArray() };
        var layers = new TranscriptLayer[shape.Layers.Count];
        for (int l = 0; l < layers.Length; l++)
            layers[l] = new TranscriptLayer { Weights = network.Weights(l).ToArray(), Biases = shape.Layers[l].HasBias ? network.Biases(l).ToArray() : null };
        return new TranscriptWeights { Layers = layers, Salt = salt.ToArray() };
    }

    /// <summary>Copies the weights of <paramref name="model"/> with their commitment <paramref name="salt"/> (the two-layer form).</summary>
    public static TranscriptWeights From(QuantizedMlp model, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new TranscriptWeights { W1 = model.Weights1.ToArray(), W2 = model.Weights2.ToArray(), Salt = salt.ToArray() };
    }

    /// <summary>The network <paramref name="config"/> with these parameters (either form).</summary>
    /// <exception cref="ArgumentException">The form, a count or a range does not match <paramref name="config"/> (the message names what).</exception>
    public QuantizedNetwork ToNetwork(QuantizedNetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var shape = config.Network;
        if (shape.ParameterCount > Array.MaxLength)
            throw new ArgumentException($"Network {shape} has {shape.ParameterCount} parameters, more than one array holds.", nameof(config));
        var parameters = new long[shape.ParameterCount];
        if (Layers is null)
        {
            if (!shape.IsTwoLayerWithoutBiases)
                throw new ArgumentException($"The weights are in the two-layer form (w1, w2); network {shape} needs the layer form.", nameof(config));
            Place(W1, parameters, 0, shape.WeightCount(0), "w1");
            Place(W2, parameters, (int)shape.WeightCount(0), shape.WeightCount(1), "w2");
        }
        else
        {
            if (Layers.Count != shape.Layers.Count)
                throw new ArgumentException($"The weights have {Layers.Count} layers, network {shape} has {shape.Layers.Count}.", nameof(config));
            int offset = 0;
            for (int l = 0; l < Layers.Count; l++)
            {
                var layer = Layers[l] ?? throw new ArgumentException($"Layer {l + 1} is missing.", nameof(config));
                offset += Place(layer.Weights, parameters, offset, shape.WeightCount(l), $"layer {l + 1} weights");
                bool hasBias = shape.Layers[l].HasBias;
                if (hasBias != layer.Biases is not null)
                    throw new ArgumentException($"Layer {l + 1} {(hasBias ? "needs" : "has no")} biases in network {shape}.", nameof(config));
                if (hasBias) offset += Place(layer.Biases!, parameters, offset, shape.Layers[l].Width, $"layer {l + 1} biases");
            }
        }
        return new QuantizedNetwork(config, parameters);
    }

    /// <summary>The two-layer network with these weights (either form).</summary>
    /// <exception cref="ArgumentException">Lengths or ranges do not match <paramref name="config"/>.</exception>
    public QuantizedMlp ToModel(QuantizedMlpConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return ToNetwork(QuantizedNetworkConfig.FromMlp(config)).ToMlp();
    }

    /// <summary>Number of parameter values held (for size limits before anything is built).</summary>
    internal long ValueCount => Layers is null
        ? (long)(W1?.Length ?? 0) + (W2?.Length ?? 0)
        : Layers.Sum(l => (long)(l?.Weights?.Length ?? 0) + (l?.Biases?.Length ?? 0));

    /// <summary>Structural check for <see cref="TrainingTranscript.Validate"/>: the form matches the version, nothing is null.</summary>
    internal string? Problem(bool layerForm)
    {
        if (Salt is null) return "salt is missing.";
        if (!layerForm)
            return Layers is not null ? "version 2 weights are w1 and w2, not layers." : W1 is null || W2 is null ? "weights need w1, w2 and salt." : null;
        if (Layers is null) return "version 3 weights need layers.";
        if (W1 is { Length: > 0 } || W2 is { Length: > 0 }) return "version 3 weights are layers, not w1 and w2.";
        if (Layers.Count is 0 or > NetworkDescription.MaxLayers) return $"weights must have 1..{NetworkDescription.MaxLayers} layers, got {Layers.Count}.";
        foreach (var l in Layers)
            if (l is null || l.Weights is null) return "a layer has no weights.";
        return null;
    }

    internal void AppendTo(IncrementalHashWriter h)
    {
        if (Layers is null)
        {
            h.U32((uint)W1.Length);
            foreach (long w in W1) h.I64(w);
            h.U32((uint)W2.Length);
            foreach (long w in W2) h.I64(w);
        }
        else
        {
            h.U32((uint)Layers.Count);
            foreach (var layer in Layers)
            {
                h.U32((uint)layer.Weights.Length);
                foreach (long w in layer.Weights) h.I64(w);
                h.U8(layer.Biases is null ? (byte)0 : (byte)1);
                if (layer.Biases is null) continue;
                h.U32((uint)layer.Biases.Length);
                foreach (long b in layer.Biases) h.I64(b);
            }
        }
        h.Bytes(Salt);
    }

    private static int Place(long[] values, long[] parameters, int offset, long expected, string name)
    {
        if (values is null || values.Length != expected)
            throw new ArgumentException($"{name} has {values?.Length ?? 0} values, the network needs {expected}.");
        values.CopyTo(parameters, offset);
        return values.Length;
    }
}
