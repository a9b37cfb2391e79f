using System.Security.Cryptography;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Msm;
using ZkMl.Common;

namespace ZkMl.Snark.Groth16;

/// <summary>The witness does not fit the proving key (wrong length, or it does not satisfy the circuit).</summary>
public sealed class WitnessException : Exception
{
    /// <summary>Creates the exception with a message saying what is wrong.</summary>
    public WitnessException(string message) : base(message) { }
}
