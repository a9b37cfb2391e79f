namespace ZkMl.Training.Air;

/// <summary>The periodic (verifier-known program) columns of <see cref="TrainingStepAir"/>, in order.</summary>
internal enum StepPeriodic
{
    /// <summary>The 12-bit range table.</summary>
    Table,
    /// <summary>Row index (segment addresses).</summary>
    Row,
    /// <summary>Bus address of multiplicand a.</summary>
    AddrA,
    /// <summary>Bus address of multiplicand b.</summary>
    AddrB,
    /// <summary>Bus address of operand c.</summary>
    AddrC,
    /// <summary>Bus address of the output.</summary>
    AddrO,
    /// <summary>The next row starts a new chain.</summary>
    StartNext,
    /// <summary>The chain ends here (post-operation row).</summary>
    IsEnd,
    /// <summary>Post-operation: rescale and ReLU.</summary>
    OpRelu,
    /// <summary>Post-operation: error z2 - t.</summary>
    OpErr,
    /// <summary>Post-operation: masked backward rescale.</summary>
    OpDh,
    /// <summary>Post-operation: weight update.</summary>
    OpUpd,
    /// <summary>Rescale by 2^f (remainder has one limb).</summary>
    IsSmall,
    /// <summary>A multiply-accumulate row.</summary>
    IsMac,
    /// <summary>A weight row of the segments.</summary>
    IsW,
    /// <summary>A batch row of the segments.</summary>
    IsX,
    /// <summary>The post-operation reads c.</summary>
    ReadC,
}
