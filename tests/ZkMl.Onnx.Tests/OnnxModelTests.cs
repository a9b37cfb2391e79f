using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;
using ZkMl.Models;
using ZkMl.Onnx.Proto;

namespace ZkMl.Onnx.Tests;

public class OnnxModelTests(ITestOutputHelper output)
{
    private static readonly Lazy<(QuantizedNetwork Network, IntegerDataset Test)> Mnist = new(TrainMnist);

    /// <summary>784-128-10 trained for 2 epochs on the first 8,000 MNIST rows (enough for a meaningful model; seconds).</summary>
    private static (QuantizedNetwork, IntegerDataset) TrainMnist()
    {
        var config = new QuantizedNetworkConfig(NetworkDescription.Create(784, [128], 10, bias: false))
        {
            FractionBits = 10, BatchSize = 64, LearningRateNumerator = 13, LearningRateShift = 12,
        };
        var (train, test) = IntegerDataset.Load(SampleData("mnist10k.csv.gz"), 784, 10, 0, 255).SplitInOrder(8000);
        var net = QuantizedNetwork.CreateInitial(config, 42);
        net.Train(train.Quantize(InputQuantization.Pixel255, 10), BatchSchedule.Create(train.Count, 64, 2, 42));
        return (net, test);
    }

    [Fact]
    public void OnnxRuntimeAgreesWithTheReferenceOnTheMnistTestSplit()
    {
        var (net, test) = Mnist.Value;
        var commitment = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var digest = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();
        byte[] model = OnnxModel.Export(net, InputQuantization.Pixel255, new OnnxRunMetadata(commitment, digest));

        using var session = new InferenceSession(model);
        Assert.Equal(OnnxModel.InputName, session.InputMetadata.Keys.Single());
        var custom = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal(Convert.ToHexStringLower(commitment), custom[OnnxRunMetadata.WeightCommitmentKey]);
        Assert.Equal(Convert.ToHexStringLower(digest), custom[OnnxRunMetadata.ContractDigestKey]);

        var pixels = new float[test.Count * 784];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = test.Features[i]; // raw 0..255: the quantization is in the weights
        var input = new DenseTensor<float>(pixels, [test.Count, 784]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxModel.InputName, input)]);
        var scores = results.Single().AsTensor<float>();
        Assert.Equal(new[] { test.Count, 10 }, scores.Dimensions.ToArray());

        var quantized = test.Quantize(InputQuantization.Pixel255, 10);
        int agree = 0, correctOnnx = 0, correctRef = 0;
        for (int r = 0; r < test.Count; r++)
        {
            int onnx = 0;
            for (int k = 1; k < 10; k++) if (scores[r, k] > scores[r, onnx]) onnx = k;
            int reference = net.Predict(quantized.Row(r));
            if (onnx == reference) agree++;
            else output.WriteLine($"row {r}: ONNX Runtime {onnx}, reference {reference}, label {test.Labels[r]}");
            if (onnx == test.Labels[r]) correctOnnx++;
            if (reference == test.Labels[r]) correctRef++;
        }
        output.WriteLine($"argmax agrees on {agree}/{test.Count} rows; accuracy ONNX {correctOnnx / (double)test.Count:P2}, reference {correctRef / (double)test.Count:P2}");
        Assert.True(agree >= 0.995 * test.Count, $"argmax agrees on only {agree} of {test.Count} rows");
    }

    [Fact]
    public void ImportOfExportRoundTripsTheWeightsExactly()
    {
        var (mnist, _) = Mnist.Value;
        var back = OnnxModel.Import(OnnxModel.Export(mnist, InputQuantization.Pixel255), mnist.Config, InputQuantization.Pixel255);
        Assert.True(back.ParametersEqual(mnist));

        // A deeper network with biases on the digits' units (0..16, an exact power of two).
        var config = new QuantizedNetworkConfig(NetworkDescription.Create(64, [16, 8], 10, bias: true)) { FractionBits = 10 };
        var rng = new Random(3);
        var parameters = Enumerable.Range(0, (int)config.Network.ParameterCount).Select(_ => rng.NextInt64(-5000, 5000)).ToArray();
        var deep = new QuantizedNetwork(config, parameters);
        byte[] model = OnnxModel.Export(deep, InputQuantization.Pixel16);
        Assert.Equal(config.Network, OnnxModel.ReadNetwork(model));
        Assert.True(OnnxModel.Import(model, config, InputQuantization.Pixel16).ParametersEqual(deep));
        Assert.Equal("64-16b-8b-10b", OnnxModel.ReadMetadata(model)["zkml.network"]);
        using var session = new InferenceSession(model); // ONNX Runtime accepts the biased graph too
        Assert.Equal(10, session.OutputMetadata[OnnxModel.OutputName].Dimensions[1]);
    }

    [Fact]
    public void GemmWithTransposedWeightsImportsAsTheSameLayers()
    {
        var config = new QuantizedNetworkConfig(NetworkDescription.Create(3, [2], 2, bias: true)) { FractionBits = 4 };
        long[] p = [16, -8, 4, 2, 0, 32, /* b1 */ 8, -16, /* W2 */ 1, 2, 3, 4, /* b2 */ 0, 5];
        var net = new QuantizedNetwork(config, p);
        var model = ModelProto.Parser.ParseFrom(OnnxModel.Export(net, new InputQuantization(1)));
        // Rewrite layer 1 as Gemm(input, W1^T stored [2, 3], b1) with transB = 1.
        var g = model.Graph;
        var w1 = g.Initializer.Single(t => t.Name == "W1");
        var values = Enumerable.Range(0, 6).Select(k => BitConverter.ToSingle(w1.RawData.Span.Slice(k * 4, 4))).ToArray();
        var transposed = new float[6];
        for (int j = 0; j < 3; j++) for (int i = 0; i < 2; i++) transposed[i * 3 + j] = values[j * 2 + i];
        w1.Dims.Clear();
        w1.Dims.AddRange([2, 3]);
        w1.RawData = ByteString.CopyFrom(transposed.SelectMany(BitConverter.GetBytes).ToArray());
        var gemm = new NodeProto { Name = "fc1", OpType = "Gemm" };
        gemm.Input.AddRange(["input", "W1", "b1"]);
        gemm.Output.Add("layer1/add");
        gemm.Attribute.Add(new AttributeProto { Name = "transB", I = 1, Type = AttributeProto.Types.AttributeType.Int });
        g.Node.RemoveAt(0); // MatMul
        g.Node[0] = gemm;   // Add
        var back = OnnxModel.Import(model.ToByteArray(), config, new InputQuantization(1));
        Assert.True(back.ParametersEqual(net));
        using var session = new InferenceSession(model.ToByteArray());
    }

    [Fact]
    public void UnsupportedOperatorsAndShapesAreRefusedNamingTheNode()
    {
        var config = new QuantizedNetworkConfig(NetworkDescription.Create(3, [2], 2, bias: false)) { FractionBits = 4 };
        var net = new QuantizedNetwork(config, new long[config.Network.ParameterCount]);
        var model = ModelProto.Parser.ParseFrom(OnnxModel.Export(net, InputQuantization.Pixel16));
        model.Graph.Node[1].OpType = "Sigmoid";
        var ex = Assert.Throws<OnnxFormatException>(() => OnnxModel.ReadNetwork(model.ToByteArray()));
        Assert.Equal("layer1/Relu", ex.NodeName);
        Assert.Contains("Sigmoid", ex.Message);

        model = ModelProto.Parser.ParseFrom(OnnxModel.Export(net, InputQuantization.Pixel16));
        var w2 = model.Graph.Initializer.Single(t => t.Name == "W2");
        w2.Dims[0] = 3; // claims 3 inputs after a layer of 2
        w2.RawData = ByteString.CopyFrom(new byte[24]);
        ex = Assert.Throws<OnnxFormatException>(() => OnnxModel.ReadNetwork(model.ToByteArray()));
        Assert.Equal("layer2/MatMul", ex.NodeName);

        Assert.Throws<OnnxFormatException>(() => OnnxModel.Import(OnnxModel.Export(net, InputQuantization.Pixel16),
            new QuantizedNetworkConfig(NetworkDescription.Create(3, [4], 2, bias: false)), InputQuantization.Pixel16));
        Assert.Throws<OnnxFormatException>(() => OnnxModel.ReadNetwork(new byte[] { 0xff, 0xff, 0xff }));
    }

    private static string SampleData(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "ZkMl.Samples.Training", "data", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"samples/ZkMl.Samples.Training/data/{name} not found above " + AppContext.BaseDirectory);
    }
}
