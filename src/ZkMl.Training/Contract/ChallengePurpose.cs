namespace ZkMl.Training.Contract;

/// <summary>What a challenge is drawn for; bound into every challenge value so one draw cannot serve two purposes.</summary>
public enum ChallengePurpose : byte
{
    /// <summary>The 32-byte schedule seed, drawn after the dataset root is committed (also seeds derived initial weights).</summary>
    ScheduleSeed = 1,
    /// <summary>The audit draw, after the whole chain of weight commitments is committed.</summary>
    AuditSample = 2,
}
