using System.Numerics;

namespace ZkMl.Field;

/// <summary>
/// The constants of a 256-bit Montgomery field (modulus below 2^254, R = 2^256), as static members of a struct so
/// that <see cref="Fp256{TConfig}"/> is specialised per field by the JIT and the constants fold into its code.
/// </summary>
internal interface IMont256Config
{
    /// <summary>The modulus limbs, least significant first.</summary>
    static abstract ulong P0 { get; }
    /// <summary>Modulus limb 1.</summary>
    static abstract ulong P1 { get; }
    /// <summary>Modulus limb 2.</summary>
    static abstract ulong P2 { get; }
    /// <summary>Modulus limb 3 (below 2^62).</summary>
    static abstract ulong P3 { get; }
    /// <summary>-p^-1 mod 2^64.</summary>
    static abstract ulong Inv { get; }
    /// <summary>R mod p (the Montgomery form of one), limb 0.</summary>
    static abstract ulong R0 { get; }
    /// <summary>R mod p, limb 1.</summary>
    static abstract ulong R1 { get; }
    /// <summary>R mod p, limb 2.</summary>
    static abstract ulong R2 { get; }
    /// <summary>R mod p, limb 3.</summary>
    static abstract ulong R3 { get; }
    /// <summary>R^2 mod p (maps canonical values into Montgomery form), limb 0.</summary>
    static abstract ulong RR0 { get; }
    /// <summary>R^2 mod p, limb 1.</summary>
    static abstract ulong RR1 { get; }
    /// <summary>R^2 mod p, limb 2.</summary>
    static abstract ulong RR2 { get; }
    /// <summary>R^2 mod p, limb 3.</summary>
    static abstract ulong RR3 { get; }
    /// <summary>The modulus.</summary>
    static abstract BigInteger Modulus { get; }
    /// <summary>The public field type's name, for exception messages.</summary>
    static abstract string Name { get; }
}
