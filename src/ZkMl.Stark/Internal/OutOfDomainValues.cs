using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>The column polynomials' values at the out-of-domain point z (and z*g for the trace columns).</summary>
internal sealed record OutOfDomainValues(GoldilocksExt2[] MainZ, GoldilocksExt2[] MainZg, GoldilocksExt2[] AuxZ, GoldilocksExt2[] AuxZg, GoldilocksExt2[] Comp);
