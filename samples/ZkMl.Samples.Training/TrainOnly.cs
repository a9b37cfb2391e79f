using System.Diagnostics;
using Spectre.Console;
using ZkMl.Common;
using ZkMl.Models;
using ZkMl.Onnx;

namespace ZkMl.Samples.Training;

/// <summary>
/// --prove-steps none: the reference trainer alone, for any network (also shapes no backend proves yet). No contract,
/// no commitments, no proofs; the batch order and initial weights come from --seed instead of a challenge.
/// </summary>
internal static class TrainOnly
{
    public static int Run(Options options, SampleData data, QuantizedNetworkConfig config, QuantizedDataset train, QuantizedDataset test)
    {
        var net = config.Network;
        int steps = options.Epochs * (train.Count / config.BatchSize);
        if (steps == 0)
        {
            Console.Error.WriteLine($"--batch {config.BatchSize} exceeds the {train.Count} training rows.");
            return 2;
        }
        if (!options.Quiet)
            AnsiConsole.MarkupLine($"[bold]ZkMl training only[/] (--prove-steps none: no contract, commitments or proofs): {net} on {Markup.Escape(data.Name)}, " +
                $"batch {config.BatchSize}, f={config.FractionBits}, lr={config.LearningRateNumerator}/2^{config.LearningRateShift}, {options.Epochs} epochs = {steps} steps");
        var model = QuantizedNetwork.CreateInitial(config, options.Seed);
        double before = model.Accuracy(test);
        var sw = Stopwatch.StartNew();
        try
        {
            model.Train(train, BatchSchedule.Create(train.Count, config.BatchSize, options.Epochs, options.Seed));
        }
        catch (FixedPointOverflowException e)
        {
            Console.Error.WriteLine($"Training stopped: {e.Message} (a smaller learning rate or more value bits would be needed).");
            return 1;
        }
        double seconds = sw.Elapsed.TotalSeconds;
        double after = model.Accuracy(test);
        if (options.OnnxPath is { } onnx)
        {
            AtomicFile.WriteAllBytes(onnx, OnnxModel.Export(model, data.Quantization));
            if (!options.Quiet) AnsiConsole.MarkupLine($"ONNX model written to {Markup.Escape(onnx)} (no run metadata: nothing was committed)");
        }
        if (options.Quiet || Console.IsOutputRedirected)
            Console.WriteLine($"backend=none network={net} steps={steps} proven=0 train_s={seconds:F2} steps_per_s={steps / Math.Max(seconds, 1e-9):F0} " +
                $"acc_before={before:F4} acc_after={after:F4} verified=none");
        else
            AnsiConsole.MarkupLine($"{steps} steps in {seconds:F1} s ({steps / Math.Max(seconds, 1e-9):F0} steps/s); test accuracy {before:P1} -> [bold]{after:P1}[/]; nothing proven or verified");
        return 0;
    }
}
