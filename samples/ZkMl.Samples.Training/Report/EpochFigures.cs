namespace ZkMl.Samples.Training.Report;

/// <summary>The reference trainer's network after <see cref="Epoch"/> epochs (0: the initial weights).</summary>
/// <param name="Loss">Mean squared error of the outputs z2/2^f against the one-hot targets, over rows and outputs.</param>
internal sealed record EpochFigures(int Epoch, int Step, double TrainAccuracy, double TestAccuracy, double TrainLoss, double TestLoss);
