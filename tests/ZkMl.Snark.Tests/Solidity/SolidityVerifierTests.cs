using System.Numerics;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Snark.Solidity;
using ZkMl.Snark.Tests.Formats;
using ZkMl.Snark.Tests.Groth16;

namespace ZkMl.Snark.Tests.Solidity;

/// <summary>
/// The generated Solidity verifier, compiled by solc and run in @ethereumjs/evm (BN254 precompiles 0x06-0x08), against
/// the contributed snarkjs key of <see cref="SnarkjsFixture"/>; and our calldata against snarkjs's.
/// </summary>
[Collection(SnarkjsCollection.Name)]
public class SolidityVerifierTests
{
    private readonly SnarkjsFixture _fx;

    public SolidityVerifierTests(SnarkjsFixture fx) => _fx = fx;

    private string OurVerifier() => SolidityVerifier.Generate(Zkey.ReadVerifyingKey(_fx.Zkey));

    private string SnarkjsCalldata() => SolidityCalldata.Format(SnarkjsJson.ReadPublicSignals(_fx.PublicJson), SnarkjsJson.ReadProof(_fx.ProofJson));

    [Fact]
    public void CalldataEqualsSnarkjsSolidityCalldata()
    {
        var theirs = _fx.Snarkjs("zkey", "export", "soliditycalldata", _fx.PublicJson, _fx.ProofJson);
        Assert.Equal(theirs, SnarkjsCalldata() + "\n");
    }

    [Fact]
    public void DeployedVerifierAcceptsOurProofsAndSnarkjsProofs()
    {
        var (proof, pub) = new Groth16Prover().Prove(Zkey.ReadProvingKey(_fx.Zkey), _fx.Witness);
        var run = EvmRunner.Run(OurVerifier(), new Dictionary<string, string>
        {
            ["snarkjs"] = SnarkjsCalldata(),
            ["ours"] = SolidityCalldata.Format(pub, proof),
        });
        Assert.Equal("Groth16Verifier", run.Contract);
        Assert.Equal(0, run.Warnings);
        Assert.All(run.Calls.Values, c => Assert.True(c.Result == true, $"{c.Name}: {c}"));
    }

    [Fact]
    public void DeployedVerifierReturnsFalseForEveryTamperedInput()
    {
        var proof = SnarkjsJson.ReadProof(_fx.ProofJson);
        var pub = SnarkjsJson.ReadPublicSignals(_fx.PublicJson);
        string With(Groth16Proof p) => SolidityCalldata.Format(pub, p);
        // Words: 0-1 A, 2-5 B (x1, x0, y1, y0), 6-7 C, 8.. public signals.
        string Raw(Action<BigInteger[]> change)
        {
            var words = EvmRunner.Words(SnarkjsCalldata());
            change(words);
            return EvmRunner.Calldata(words);
        }
        string Word(int index, Func<BigInteger, BigInteger> change) => Raw(w => w[index] = change(w[index]));
        var wrongPublic = pub.ToArray();
        wrongPublic[0] += Bn254Fr.One;
        var q = Bn254Fq.Modulus;
        var r = Bn254Fr.Modulus;

        var cases = new Dictionary<string, string>
        {
            ["A-doubled"] = With(proof with { A = G1Projective.Double(proof.A.ToProjective()).ToAffine() }),
            ["B-doubled"] = With(proof with { B = (proof.B.ToProjective() + proof.B.ToProjective()).ToAffine() }),
            ["C-negated"] = With(proof with { C = proof.C.Negate() }),
            ["A-C-swapped"] = With(proof with { A = proof.C, C = proof.A }),
            ["B-real-imaginary-swapped"] = With(proof with { B = new G2Affine(Swapped(proof.B.X), Swapped(proof.B.Y)) }),
            ["wrong-public-signal"] = SolidityCalldata.Format(wrongPublic, proof),
            ["public-signal-plus-r"] = Word(8, s => s + r),
            ["second-public-signal-plus-r"] = Word(9, s => s + r),
            ["public-signal-max"] = Word(9, _ => BigInteger.Pow(2, 256) - 1),
            ["A-off-curve"] = With(proof with { A = SoundnessPoints.G1OffCurve() }),
            ["A-y-plus-one"] = Word(1, y => (y + 1) % q),
            ["A-x-plus-q"] = Word(0, x => x + q),
            ["B-off-curve"] = With(proof with { B = new G2Affine(proof.B.X, proof.B.Y + Fq2.One) }),
            ["B-not-in-subgroup"] = With(proof with { B = SoundnessPoints.G2OnCurveNotInSubgroup() }),
            ["B-x0-plus-q"] = Word(3, x => x + q),
            ["C-off-curve"] = With(proof with { C = new G1Affine(proof.C.X, proof.C.Y + Bn254Fq.One) }),
            ["C-y-plus-q"] = Word(7, y => y + q),
            ["A-infinity"] = Raw(w => w[0] = w[1] = 0),
        };
        var run = EvmRunner.Run(OurVerifier(), cases);
        Assert.All(run.Calls.Values, c =>
        {
            Assert.False(c.Reverted, $"{c.Name} reverted");
            Assert.True(c.Result == false, $"{c.Name}: {c}");
        });
    }

    [Fact]
    public void VerificationCostsNoMoreGasThanSnarkjsVerifierForTheSameKey()
    {
        var snarkjsSol = Path.Combine(_fx.Dir, $"{Guid.NewGuid():N}-snarkjs-verifier.sol");
        _fx.Snarkjs("zkey", "export", "solidityverifier", _fx.Zkey, snarkjsSol);
        var calldata = new Dictionary<string, string> { ["proof"] = SnarkjsCalldata() };
        var theirs = EvmRunner.Run(File.ReadAllText(snarkjsSol), calldata).Calls["proof"];
        var ours = EvmRunner.Run(OurVerifier(), calldata).Calls["proof"];
        Assert.True(theirs.Result == true && ours.Result == true);
        Assert.True(ours.Gas <= theirs.Gas, $"ours {ours.Gas} gas, snarkjs {theirs.Gas}");
    }

    [Fact]
    public void GeneratedContractNamesEveryKeyPointAndPublicSignalCount()
    {
        var vk = Zkey.ReadVerifyingKey(_fx.Zkey);
        var source = SolidityVerifier.Generate(vk);
        Assert.DoesNotContain("{{", source);
        Assert.Contains($"uint256[{vk.PublicCount}] calldata pubSignals", source);
        Assert.Contains($"IC{vk.PublicCount}_Y", source);
        Assert.DoesNotContain($"IC{vk.PublicCount + 1}_X", source);
    }

    [Fact]
    public void KeyWithoutPublicSignalsIsRefused()
    {
        var vk = Zkey.ReadVerifyingKey(_fx.Zkey);
        var none = new Groth16VerifyingKey(vk.Alpha1, vk.Beta2, vk.Gamma2, vk.Delta2, [vk.IC[0]]);
        Assert.Throws<ArgumentException>(() => SolidityVerifier.Generate(none));
    }

    // The real and imaginary parts exchanged: the order mistake the precompile's (imaginary, real) layout invites.
    private static Fq2 Swapped(Fq2 v) => new(v.C1, v.C0);
}
