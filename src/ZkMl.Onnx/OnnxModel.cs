using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using ZkMl.Models;
using ZkMl.Onnx.Proto;

namespace ZkMl.Onnx;

/// <summary>
/// Export and import of dense ReLU networks as standard ONNX (opset 13: MatMul, Add, Relu; Gemm also on import).
/// The graph takes one float input <c>input</c> [N, features] in the data set's own units and gives one float output
/// <c>output</c> [N, classes] whose argmax is the prediction. The input quantization is folded into the first layer:
/// a fixed-point weight W of layer 1 is exported as W / (2^f * Range), later weights and all biases as W / 2^f.
/// Import reverses it: round(w * 2^f * Range) for layer 1, round(w * 2^f) otherwise, midpoints away from zero.
/// </summary>
public static class OnnxModel
{
    /// <summary>The ONNX IR version written.</summary>
    public const long IrVersion = 8;
    /// <summary>The default-domain opset written.</summary>
    public const long OpsetVersion = 13;
    /// <summary>Name of the graph's input.</summary>
    public const string InputName = "input";
    /// <summary>Name of the graph's output.</summary>
    public const string OutputName = "output";

    private const int FloatType = 1;

    /// <summary>
    /// Serialises <paramref name="network"/> as an ONNX model taking features in the units that
    /// <paramref name="quantization"/> describes, with <paramref name="metadata"/> (if given) in its metadata.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter cannot be stored in float32 so that import recovers it exactly
    /// (its magnitude is at least 2^23 after the folding).</exception>
    public static byte[] Export(QuantizedNetwork network, InputQuantization quantization, OnnxRunMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(quantization);
        var net = network.Network;
        int f = network.Config.FractionBits;
        var graph = new GraphProto { Name = "zkml_mlp" };
        graph.Input.Add(ValueInfo(InputName, net.InputSize));
        string current = InputName;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            int n = net.FanIn(l), m = net.Layers[l].Width;
            bool last = l == net.Layers.Count - 1;
            double scale = Math.ScaleB(1.0, f) * (l == 0 ? quantization.Range : 1);
            var w = network.Weights(l);
            var transposed = new float[n * m]; // ONNX MatMul: [N, n] x [n, m]
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    transposed[j * m + i] = ToFloat(w[i * n + j], scale, $"W{l + 1}[{i * n + j}]");
            string prefix = $"layer{l + 1}";
            graph.Initializer.Add(Tensor($"W{l + 1}", [n, m], transposed));
            string product = last && !net.Layers[l].HasBias ? OutputName : $"{prefix}/matmul";
            graph.Node.Add(Node("MatMul", $"{prefix}/MatMul", [current, $"W{l + 1}"], product));
            current = product;
            if (net.Layers[l].HasBias)
            {
                var b = network.Biases(l);
                var bias = new float[m];
                for (int i = 0; i < m; i++) bias[i] = ToFloat(b[i], Math.ScaleB(1.0, f), $"b{l + 1}[{i}]");
                graph.Initializer.Add(Tensor($"b{l + 1}", [m], bias));
                string sum = last ? OutputName : $"{prefix}/add";
                graph.Node.Add(Node("Add", $"{prefix}/Add", [current, $"b{l + 1}"], sum));
                current = sum;
            }
            if (!last)
            {
                graph.Node.Add(Node("Relu", $"{prefix}/Relu", [current], $"{prefix}/relu"));
                current = $"{prefix}/relu";
            }
        }
        graph.Output.Add(ValueInfo(OutputName, net.OutputSize));
        var model = new ModelProto
        {
            IrVersion = IrVersion, ProducerName = "ZkMl", ProducerVersion = typeof(OnnxModel).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
            DocString = $"ZkMl quantized MLP {net}, f = {f}, inputs in units where {quantization.Range} = 1.0.",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        AddMetadata(model, "zkml.network", net.ToString());
        AddMetadata(model, "zkml.fraction_bits", f.ToString(CultureInfo.InvariantCulture));
        AddMetadata(model, "zkml.input_range", quantization.Range.ToString(CultureInfo.InvariantCulture));
        if (metadata is not null)
        {
            AddMetadata(model, OnnxRunMetadata.WeightCommitmentKey, Convert.ToHexStringLower(metadata.WeightCommitment));
            AddMetadata(model, OnnxRunMetadata.ContractDigestKey, Convert.ToHexStringLower(metadata.ContractDigest));
        }
        return model.ToByteArray();
    }

    /// <summary>The model's metadata entries (key to value).</summary>
    /// <exception cref="OnnxFormatException">The bytes are not an ONNX model.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(ReadOnlySpan<byte> model)
    {
        var proto = Parse(model);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in proto.MetadataProps) result[entry.Key] = entry.Value;
        return result;
    }

    /// <summary>The shape of the dense network an ONNX MLP holds.</summary>
    /// <exception cref="OnnxFormatException">The model is not a supported MLP (the message names the node).</exception>
    public static NetworkDescription ReadNetwork(ReadOnlySpan<byte> model) => ReadLayers(Parse(model)).Network;

    /// <summary>
    /// Imports an ONNX MLP (MatMul or Gemm, optional Add of a bias, Relu between layers) as a network with the
    /// parameters of <paramref name="config"/>, whose network must be the file's; weights are quantized as the type's
    /// remarks say, with <paramref name="quantization"/> describing the units of the graph's input.
    /// </summary>
    /// <exception cref="OnnxFormatException">The model is not a supported MLP, its shape differs from the configuration,
    /// or a weight does not fit the declared width (the message names the node or tensor).</exception>
    public static QuantizedNetwork Import(ReadOnlySpan<byte> model, QuantizedNetworkConfig config, InputQuantization quantization)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(quantization);
        config.Validate();
        var (net, layers) = ReadLayers(Parse(model));
        if (!net.Equals(config.Network))
            throw new OnnxFormatException($"The file holds network {net}, the configuration asks for {config.Network}.");
        var parameters = new List<long>();
        double one = Math.ScaleB(1.0, config.FractionBits);
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            double scale = one * (l == 0 ? quantization.Range : 1);
            int n = net.FanIn(l), m = net.Layers[l].Width;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    parameters.Add(Quantize(layer.Weight(i, j), scale, config, layer.WeightName));
            if (layer.Bias is { } bias)
                foreach (float b in bias) parameters.Add(Quantize(b, one, config, layer.BiasName!));
        }
        return new QuantizedNetwork(config, parameters.ToArray());
    }

    private sealed record Layer(float[] Values, int FanIn, int Width, bool Transposed, string WeightName, float[]? Bias, string? BiasName)
    {
        // Stored [FanIn, Width] (MatMul, Gemm transB = 0) or [Width, FanIn] (Gemm transB = 1).
        public float Weight(int i, int j) => Transposed ? Values[i * FanIn + j] : Values[j * Width + i];
    }

    private static ModelProto Parse(ReadOnlySpan<byte> model)
    {
        try { return ModelProto.Parser.ParseFrom(model); }
        catch (InvalidProtocolBufferException ex) { throw new OnnxFormatException("Not an ONNX model: " + ex.Message, null, ex); }
    }

    private static (NetworkDescription Network, List<Layer> Layers) ReadLayers(ModelProto model)
    {
        var graph = model.Graph ?? throw new OnnxFormatException("The model has no graph.");
        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var t in graph.Initializer) initializers[t.Name] = t;
        var inputs = graph.Input.Where(v => !initializers.ContainsKey(v.Name)).ToList();
        if (inputs.Count != 1) throw new OnnxFormatException($"Expected one graph input, found {inputs.Count}.");
        int inputSize = FeatureDim(inputs[0]);
        if (graph.Output.Count != 1) throw new OnnxFormatException($"Expected one graph output, found {graph.Output.Count}.");

        string current = inputs[0].Name;
        int fanIn = inputSize;
        var layers = new List<Layer>();
        var shape = new List<DenseLayer>();
        string previous = ""; // the previous node's operator: the chain is (MatMul|Gemm) [Add] Relu ... (MatMul|Gemm) [Add]
        for (int k = 0; k < graph.Node.Count; k++)
        {
            var node = graph.Node[k];
            string name = string.IsNullOrEmpty(node.Name) ? $"#{k} ({node.OpType})" : node.Name;
            if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
                throw new OnnxFormatException($"operator {node.Domain}.{node.OpType} is not supported (only MatMul, Gemm, Add, Relu).", name);
            if (node.Output.Count != 1) throw new OnnxFormatException($"{node.OpType} with {node.Output.Count} outputs is not supported.", name);
            switch (node.OpType)
            {
                case "MatMul":
                case "Gemm":
                {
                    if (previous is not ("" or "Relu")) throw new OnnxFormatException("a dense layer must follow a Relu (only the last layer has no activation).", name);
                    if (node.Input.Count < 2 || node.Input[0] != current)
                        throw new OnnxFormatException($"expected its first input to be '{current}' (a chain of dense layers).", name);
                    var weight = Initializer(initializers, node.Input[1], name);
                    bool transB = false;
                    if (node.OpType == "Gemm") transB = GemmTransposesB(node, name);
                    if (weight.Dims.Count != 2) throw new OnnxFormatException($"weight '{weight.Name}' has {weight.Dims.Count} dimensions, expected 2.", name);
                    long rows = weight.Dims[0], cols = weight.Dims[1];
                    long wFanIn = transB ? cols : rows, width = transB ? rows : cols;
                    if (wFanIn != fanIn) throw new OnnxFormatException($"weight '{weight.Name}' expects {wFanIn} inputs, the previous layer gives {fanIn}.", name);
                    if (width < 1 || width > NetworkDescription.MaxWidth) throw new OnnxFormatException($"layer width {width} is not in [1, {NetworkDescription.MaxWidth}].", name);
                    float[]? bias = null;
                    string? biasName = null;
                    if (node.OpType == "Gemm" && node.Input.Count > 2 && node.Input[2].Length > 0)
                        (bias, biasName) = BiasOf(initializers, node.Input[2], (int)width, name);
                    layers.Add(new Layer(Floats(weight, name), fanIn, (int)width, transB, weight.Name, bias, biasName));
                    shape.Add(new DenseLayer((int)width, bias is not null));
                    fanIn = (int)width;
                    break;
                }
                case "Add":
                {
                    if (previous is not ("MatMul" or "Gemm") || layers[^1].Bias is not null || node.Input.Count != 2)
                        throw new OnnxFormatException("Add is supported only as the bias of a MatMul.", name);
                    string other = node.Input[0] == current ? node.Input[1] : node.Input[1] == current ? node.Input[0]
                        : throw new OnnxFormatException($"expected one input to be '{current}'.", name);
                    var (bias, biasName) = BiasOf(initializers, other, fanIn, name);
                    layers[^1] = layers[^1] with { Bias = bias, BiasName = biasName };
                    shape[^1] = shape[^1] with { HasBias = true };
                    break;
                }
                case "Relu":
                    if (previous is not ("MatMul" or "Gemm" or "Add") || node.Input.Count != 1 || node.Input[0] != current)
                        throw new OnnxFormatException($"Relu must follow a dense layer and take '{current}'.", name);
                    break;
                default:
                    throw new OnnxFormatException($"operator {node.OpType} is not supported (only MatMul, Gemm, Add, Relu).", name);
            }
            current = node.Output[0];
            previous = node.OpType;
        }
        if (layers.Count == 0) throw new OnnxFormatException("The graph has no dense layer.");
        if (previous == "Relu") throw new OnnxFormatException("the last layer must not have an activation.", graph.Node[^1].Name);
        if (graph.Output[0].Name != current)
            throw new OnnxFormatException($"The graph's output '{graph.Output[0].Name}' is not the last layer's '{current}'.");
        try { return (new NetworkDescription(inputSize, shape), layers); }
        catch (ArgumentOutOfRangeException ex) { throw new OnnxFormatException(ex.Message, null, ex); }
    }

    private static bool GemmTransposesB(NodeProto node, string name)
    {
        bool transB = false;
        foreach (var a in node.Attribute)
        {
            switch (a.Name)
            {
                case "transA" when a.I != 0: throw new OnnxFormatException("Gemm with transA = 1 is not supported.", name);
                case "transB": transB = a.I != 0; break;
                case "alpha" or "beta" when a.F != 1f: throw new OnnxFormatException($"Gemm with {a.Name} = {a.F} is not supported (only 1).", name);
            }
        }
        return transB;
    }

    private static (float[] Values, string Name) BiasOf(Dictionary<string, TensorProto> initializers, string tensorName, int width, string node)
    {
        var t = Initializer(initializers, tensorName, node);
        long count = t.Dims.Aggregate(1L, (a, d) => a * d);
        if (count != width || t.Dims.Count(d => d != 1) > 1)
            throw new OnnxFormatException($"bias '{t.Name}' has shape [{string.Join(", ", t.Dims)}], expected [{width}].", node);
        return (Floats(t, node), t.Name);
    }

    private static TensorProto Initializer(Dictionary<string, TensorProto> initializers, string name, string node) =>
        initializers.TryGetValue(name, out var t) ? t : throw new OnnxFormatException($"'{name}' is not a constant initializer.", node);

    private static float[] Floats(TensorProto t, string node)
    {
        if (t.DataType != FloatType) throw new OnnxFormatException($"tensor '{t.Name}' has element type {t.DataType}, expected float (1).", node);
        if (t.DataLocation != 0) throw new OnnxFormatException($"tensor '{t.Name}' uses external data, which is not supported.", node);
        long count = t.Dims.Aggregate(1L, (a, d) => a * d);
        float[] values;
        if (t.HasRawData)
        {
            var raw = t.RawData.Span;
            if (raw.Length != count * 4) throw new OnnxFormatException($"tensor '{t.Name}' has {raw.Length} raw bytes, expected {count * 4}.", node);
            values = new float[count];
            for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4, 4));
        }
        else
        {
            if (t.FloatData.Count != count) throw new OnnxFormatException($"tensor '{t.Name}' has {t.FloatData.Count} values, expected {count}.", node);
            values = t.FloatData.ToArray();
        }
        return values;
    }

    private static int FeatureDim(ValueInfoProto input)
    {
        var tensor = input.Type?.TensorType ?? throw new OnnxFormatException("the graph input is not a tensor.", input.Name);
        if (tensor.ElemType != FloatType) throw new OnnxFormatException($"the graph input has element type {tensor.ElemType}, expected float (1).", input.Name);
        var dims = tensor.Shape?.Dim;
        if (dims is null || dims.Count != 2 || !dims[1].HasDimValue || dims[1].DimValue < 1 || dims[1].DimValue > NetworkDescription.MaxWidth)
            throw new OnnxFormatException("the graph input must have shape [N, features] with a fixed feature count.", input.Name);
        return (int)dims[1].DimValue;
    }

    private static long Quantize(float value, double scale, QuantizedNetworkConfig config, string tensor)
    {
        double scaled = Math.Round(value * scale, MidpointRounding.AwayFromZero);
        if (!double.IsFinite(scaled) || scaled < config.MinValue || scaled > config.MaxValue)
            throw new OnnxFormatException($"value {value} scales to {scaled}, outside {config.ValueBits} signed bits.", tensor);
        return (long)scaled;
    }

    private static float ToFloat(long value, double scale, string what)
    {
        float f = (float)(value / scale);
        if (Math.Round(f * scale, MidpointRounding.AwayFromZero) != value)
            throw new ArgumentException($"{what} = {value} cannot be stored in float32 so that import recovers it exactly.");
        return f;
    }

    private static ValueInfoProto ValueInfo(string name, int features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = features });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = shape } },
        };
    }

    private static TensorProto Tensor(string name, long[] dims, float[] values)
    {
        var raw = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
        var t = new TensorProto { Name = name, DataType = FloatType, RawData = ByteString.CopyFrom(raw) };
        t.Dims.AddRange(dims);
        return t;
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static void AddMetadata(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}
