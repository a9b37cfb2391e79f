using ZkMl.Models;
using ZkMl.Training.Contract;
using ContractQuantization = ZkMl.Training.Contract.InputQuantization;
using ModelQuantization = ZkMl.Models.InputQuantization;

namespace ZkMl.Training.Tests.Contract;

/// <summary>The Pixel255 input code and the mapping between the contract's network fields and a <see cref="NetworkDescription"/>.</summary>
public class ContractNetworkTests
{
    [Fact]
    public void Pixel255RoundTripsAndChangesTheDigest()
    {
        var mnist = ContractSamples.MnistPixel255();
        var bytes = mnist.Encode();
        Assert.Equal(mnist, TrainingContract.Decode(bytes));
        var pixel16 = mnist with { InputQuantization = ContractQuantization.Pixel16 };
        Assert.NotEqual(Convert.ToHexString(pixel16.Digest()), Convert.ToHexString(mnist.Digest()));
        Assert.Equal(nameof(TrainingContract.InputQuantization), TrainingContracts.FirstDifference(mnist, pixel16));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(255)]
    public void UnknownQuantizationCodesAreRejected(byte code)
    {
        var bad = ContractSamples.MnistPixel255() with { InputQuantization = (ContractQuantization)code };
        Assert.Equal(nameof(TrainingContract.InputQuantization), Assert.Throws<ContractFormatException>(() => bad.Validate()).Field);
        // The same byte in an otherwise valid encoding is rejected by Decode.
        var bytes = ContractSamples.MnistPixel255().Encode();
        int offset = QuantizationOffset(ContractSamples.MnistPixel255());
        Assert.Equal((byte)ContractQuantization.Pixel255, bytes[offset]);
        bytes[offset] = code;
        Assert.Equal(nameof(TrainingContract.InputQuantization), Assert.Throws<ContractFormatException>(() => TrainingContract.Decode(bytes)).Field);
        Assert.Throws<ContractFormatException>(() => TrainingContracts.QuantizationOf((ContractQuantization)code));
    }

    [Fact]
    public void QuantizationCodesMapToTheirRules()
    {
        Assert.Equal(ModelQuantization.Pixel16, TrainingContracts.QuantizationOf(ContractQuantization.Pixel16));
        Assert.Equal(ModelQuantization.Pixel255, TrainingContracts.QuantizationOf(ContractQuantization.Pixel255));
        Assert.Equal(ContractQuantization.Pixel16, TrainingContracts.CodeOf(new ModelQuantization(16)));
        Assert.Equal(ContractQuantization.Pixel255, TrainingContracts.CodeOf(new ModelQuantization(255)));
        Assert.Contains("not 100", Assert.Throws<ArgumentException>(() => TrainingContracts.CodeOf(new ModelQuantization(100))).Message);
    }

    [Fact]
    public void LayersMapToAndFromNetworkDescriptions()
    {
        var deep = ContractSamples.DeepFiatShamir();
        var net = TrainingContracts.NetworkOf(deep);
        Assert.Equal("16-8b-8-3b", net.ToString());
        Assert.Equal(deep.Layers.ToArray(), TrainingContracts.LayersOf(net).ToArray());
        Assert.Equal("784-128b-10b", TrainingContracts.NetworkOf(ContractSamples.MnistPixel255()).ToString());
        var mlp = ContractSamples.Stark();
        Assert.True(TrainingContracts.NetworkOf(mlp).IsTwoLayerWithoutBiases);
        Assert.Equal(NetworkDescription.TwoLayer(64, 32, 10), TrainingContracts.NetworkOf(mlp));
        Assert.Throws<ContractFormatException>(() => TrainingContracts.NetworkOf(mlp with { Layers = [] }));
    }

    [Fact]
    public void TwoLayerPixel255ContractsStillGiveTheMlpConfig()
    {
        // The step works on quantized inputs, so the input code does not restrict the two-layer trainer.
        var c = ContractSamples.Stark() with { InputQuantization = ContractQuantization.Pixel255 };
        Assert.Equal(new QuantizedMlpConfig(), c.ToQuantizedMlpConfig());
        Assert.Throws<NotSupportedException>(() => ContractSamples.MnistPixel255().ToQuantizedMlpConfig());
    }

    // Magic, version, backend, STARK preset and bits, input size, layer count, layers, f, B: then the code.
    private static int QuantizationOffset(TrainingContract c) => 4 + 2 + 1 + 2 + 2 + 4 + 1 + 5 * c.Layers.Length + 1 + 1;
}
