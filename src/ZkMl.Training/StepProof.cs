namespace ZkMl.Training;

/// <summary>A proof that step <see cref="Step"/> turned the weights committed in <see cref="CommitmentBefore"/> into those in <see cref="CommitmentAfter"/> by one honest SGD step on a batch of committed rows.</summary>
/// <param name="Step">0-based index of the step in its run.</param>
/// <param name="Backend">The proof system.</param>
/// <param name="CommitmentBefore">Commitment to the weights before the step.</param>
/// <param name="CommitmentAfter">Commitment to the weights after the step.</param>
/// <param name="Proof">The backend's serialized proof.</param>
public sealed record StepProof(int Step, Backend Backend, byte[] CommitmentBefore, byte[] CommitmentAfter, byte[] Proof);
