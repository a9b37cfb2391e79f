using ZkMl.Common;
using Spectre.Console;
using ZkMl.Models;
using ZkMl.Training;

/// <summary>The sample's key generation, with a progress bar when the output is a terminal.</summary>
internal static class SetupProgress
{
    public static TrainingKeys Create(bool interactive, Backend backend, QuantizedNetworkConfig network, int datasetRows)
    {
        if (!interactive) return TrainingSetup.Create(backend, network, datasetRows);
        TrainingKeys keys = null!;
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"{backend} setup", maxValue: 1);
                keys = TrainingSetup.Create(backend, network, datasetRows, new SynchronousProgress<TrainingProgress>(p =>
                {
                    task.MaxValue = p.Total;
                    task.Value = p.Done;
                }));
                task.Value = task.MaxValue;
            });
        return keys;
    }
}
