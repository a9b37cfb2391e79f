namespace ZkMl.Training.Contract;

/// <summary>The rule that fixes which rows each step uses.</summary>
public enum BatchScheduleRule : byte
{
    /// <summary><see cref="SeededBatchSchedule"/>: per epoch, a keyed Feistel permutation of the rows cut into batches.</summary>
    FeistelEpochs = 1,
}
