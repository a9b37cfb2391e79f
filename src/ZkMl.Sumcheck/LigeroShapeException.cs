namespace ZkMl.Sumcheck;

/// <summary>
/// A <see cref="LigeroCommitment"/> whose shape (parameters, variables, row split, data rows or evaluation slots) is not
/// the one the verifier derives from public data (<see cref="LigeroCommitment.ReadPinned"/>,
/// <see cref="LigeroPcs.RowVariables"/>): the code's actual rate, hence the opening's soundness, would be the prover's
/// choice. A <see cref="ProofFormatException"/>, so a verifier that returns false on undecodable proofs refuses it too.
/// </summary>
public sealed class LigeroShapeException : ProofFormatException
{
    /// <summary>Creates the exception with a message naming the field that differs.</summary>
    public LigeroShapeException(string message) : base(message) { }
}
