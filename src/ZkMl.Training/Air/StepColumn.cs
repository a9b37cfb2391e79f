namespace ZkMl.Training.Air;

/// <summary>The main-trace columns of <see cref="TrainingStepAir"/>, in order (the first three are its committed segments).</summary>
internal enum StepColumn
{
    /// <summary>Weights before (segment 0): W1 then W2, row-major.</summary>
    W,
    /// <summary>Batch (segment 1): inputs, then one-hot targets times 2^f.</summary>
    X,
    /// <summary>Weights after (segment 2).</summary>
    WN,
    /// <summary>Memory-bus multiplicity of the weights-before write.</summary>
    MW,
    /// <summary>Memory-bus multiplicity of the batch write.</summary>
    MX,
    /// <summary>Multiplicand a.</summary>
    A,
    /// <summary>Multiplicand b.</summary>
    B,
    /// <summary>Accumulator of the chain.</summary>
    Acc,
    /// <summary>Rescaled quotient.</summary>
    Q,
    /// <summary>Remainder limb 0.</summary>
    R0,
    /// <summary>Remainder limb 1.</summary>
    R1,
    /// <summary>Offset quotient limb 0.</summary>
    Q0,
    /// <summary>Offset quotient limb 1.</summary>
    Q1,
    /// <summary>Offset quotient limb 2.</summary>
    Q2,
    /// <summary>Post-operation output.</summary>
    O,
    /// <summary>Operand c read by the post-operation (target or old weight).</summary>
    C,
    /// <summary>ReLU sign.</summary>
    S,
    /// <summary>ReLU sign witness limb 0.</summary>
    D0,
    /// <summary>ReLU sign witness limb 1.</summary>
    D1,
    /// <summary>ReLU sign witness limb 2.</summary>
    D2,
    /// <summary>Memory-bus multiplicity of the output write.</summary>
    MO,
    /// <summary>Sign-bus multiplicity of the sign write.</summary>
    MS,
    /// <summary>Offset output limb 0.</summary>
    O0,
    /// <summary>Offset output limb 1.</summary>
    O1,
    /// <summary>Offset weight limb 0.</summary>
    W0,
    /// <summary>Offset weight limb 1.</summary>
    W1L,
    /// <summary>Offset batch value limb 0.</summary>
    X0,
    /// <summary>Offset batch value limb 1.</summary>
    X1L,
    /// <summary>Range-table multiplicity.</summary>
    MT,
}
