namespace ZkMl.Training.Contract;

/// <summary>Which steps must carry a proof.</summary>
public enum AuditPolicy : byte
{
    /// <summary>Every step (the only policy that proves the whole run).</summary>
    AllSteps = 1,
    /// <summary><see cref="TrainingContract.AuditSampleCount"/> distinct steps drawn by <see cref="AuditSample"/> from a challenge.</summary>
    SampleSteps = 2,
}
