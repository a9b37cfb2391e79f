using System.Diagnostics;
using Xunit.Abstractions;

namespace ZkMl.Models.Tests;

public class MnistTrainingTests(ITestOutputHelper output)
{
    /// <summary>
    /// 784-128-10 on the first 8,000 MNIST rows, tested on the other 2,000 (pixels scaled to 2^10, no biases, batch 64,
    /// lr 13/2^12 on the summed gradient). ZKML_MNIST_EPOCHS (default 5) and ZKML_MNIST_LAYERS (hidden widths, default
    /// "128") and ZKML_MNIST_BIAS=1 change the run for the measurements in benchmarks/RESULTS.md.
    /// </summary>
    [Fact]
    public void ReferenceTrainingOfMnistReachesTheFloor()
    {
        int epochs = int.TryParse(Environment.GetEnvironmentVariable("ZKML_MNIST_EPOCHS"), out int e) ? e : DefaultEpochs;
        int[] hidden = (Environment.GetEnvironmentVariable("ZKML_MNIST_LAYERS") ?? "128").Split(',').Select(int.Parse).ToArray();
        bool bias = Environment.GetEnvironmentVariable("ZKML_MNIST_BIAS") == "1";
        var config = new QuantizedNetworkConfig(NetworkDescription.Create(784, hidden, 10, bias))
        {
            FractionBits = 10, BatchSize = 64, LearningRateNumerator = 13, LearningRateShift = 12,
        };
        var (train, test) = TestData.LoadMnist().SplitInOrder(8000);
        var qTrain = train.Quantize(InputQuantization.Pixel255, config.FractionBits);
        var qTest = test.Quantize(InputQuantization.Pixel255, config.FractionBits);
        var net = QuantizedNetwork.CreateInitial(config, 42);
        var schedule = BatchSchedule.Create(qTrain.Count, config.BatchSize, epochs, seed: 42);
        var clock = Stopwatch.StartNew();
        net.Train(qTrain, schedule);
        clock.Stop();
        double accuracy = net.Accuracy(qTest);
        output.WriteLine($"{config.Network}, {epochs} epochs: {schedule.Count} steps in {clock.Elapsed.TotalSeconds:F1} s " +
            $"({schedule.Count / clock.Elapsed.TotalSeconds:F0} steps/s), test accuracy {accuracy:P2}, train accuracy {net.Accuracy(qTrain):P2}");
        double floor = epochs >= 20 ? 0.93 : MinimumAfterFewEpochs;
        Assert.True(accuracy >= floor, $"test accuracy {accuracy:P2} after {epochs} epochs, floor {floor:P0}");
    }

    // 20 epochs (93.80%, the floor of 93%) take 7-25 s of training on the shared 2-core machine; the normal suite
    // runs 5 epochs, which reach 91.60% (bit-exact and deterministic: any change of semantics or schedule moves it).
    private const int DefaultEpochs = 5;
    private const double MinimumAfterFewEpochs = 0.91;
}
