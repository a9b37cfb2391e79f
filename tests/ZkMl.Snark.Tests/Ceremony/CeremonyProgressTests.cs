using System.Collections.Concurrent;
using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Snark.Ceremony;

namespace ZkMl.Snark.Tests.Ceremony;

/// <summary>
/// Every ceremony step reports movement on a tiny ceremony (power 4 or 5): monotone fractions with values strictly between
/// 0 and 1, ending at 1; and the files written while reporting are the same valid ceremony.
/// </summary>
public sealed class CeremonyProgressTests : IDisposable
{
    private const string BeaconHex = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("zkml-ceremony-progress-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_dir.FullName, name);

    private sealed class Recorder : IProgress<double>
    {
        public readonly ConcurrentQueue<double> Values = new();
        public void Report(double value) => Values.Enqueue(value);
    }

    private static void AssertMovement(Recorder recorder)
    {
        var values = recorder.Values.ToArray();
        Assert.NotEmpty(values);
        for (int i = 1; i < values.Length; i++) Assert.True(values[i] >= values[i - 1], $"report {i} went back: {values[i - 1]} then {values[i]}");
        Assert.All(values, v => Assert.InRange(v, 0, 1));
        Assert.Equal(1.0, values[^1]);
        Assert.True(values.Count(v => v > 0 && v < 1) >= 3, $"only {string.Join(", ", values)}");
    }

    // x^(length+1) = y: one constraint per multiplication.
    private static R1cs<Bn254Fr> PowerChain(int length)
    {
        var b = new R1csBuilder<Bn254Fr>();
        var x = b.PrivateInput(Bn254Fr.FromUInt64(3));
        var acc = x;
        for (int i = 0; i < length; i++) acc = b.Mul(acc, x);
        b.PublicOutput(acc);
        return b.Build().System;
    }

    /// <summary>A contributed, prepared phase 1 at <paramref name="power"/>, without progress.</summary>
    private string PreparedPtau(int power)
    {
        PowersOfTau.New(power, Path("p0.ptau"));
        PowersOfTau.Contribute(Path("p0.ptau"), Path("p1.ptau"), "alice", "alice entropy");
        PowersOfTau.PreparePhase2(Path("p1.ptau"), Path("pf.ptau"));
        return Path("pf.ptau");
    }

    [Fact]
    public void PowersOfTauNewReportsMovementAndWritesTheSameFile()
    {
        var progress = new Recorder();
        var hash = PowersOfTau.New(4, Path("with.ptau"), progress);
        AssertMovement(progress);
        Assert.Equal(PowersOfTau.New(4, Path("without.ptau")), hash);
        Assert.Equal(File.ReadAllBytes(Path("without.ptau")), File.ReadAllBytes(Path("with.ptau")));
    }

    [Fact]
    public void PowersOfTauContributeAndBeaconReportMovementAndVerify()
    {
        PowersOfTau.New(4, Path("p0.ptau"));
        var contribute = new Recorder();
        PowersOfTau.Contribute(Path("p0.ptau"), Path("p1.ptau"), "alice", "alice entropy", contribute);
        AssertMovement(contribute);

        var beacon = new Recorder();
        var last = PowersOfTau.Beacon(Path("p1.ptau"), Path("p2.ptau"), "final", BeaconHex, 10, beacon);
        AssertMovement(beacon);
        PowersOfTau.Beacon(Path("p1.ptau"), Path("p2-quiet.ptau"), "final", BeaconHex, 10);
        Assert.Equal(File.ReadAllBytes(Path("p2-quiet.ptau")), File.ReadAllBytes(Path("p2.ptau")));
        Assert.Equal(last.Hash, PowersOfTau.Verify(Path("p2.ptau"))[^1].Hash);
    }

    [Fact]
    public void PowersOfTauPreparePhase2AndVerifyReportMovement()
    {
        PowersOfTau.New(4, Path("p0.ptau"));
        PowersOfTau.Contribute(Path("p0.ptau"), Path("p1.ptau"), "alice", "alice entropy");
        var unprepared = new Recorder();
        Assert.Single(PowersOfTau.Verify(Path("p1.ptau"), unprepared));
        AssertMovement(unprepared);

        var prepare = new Recorder();
        PowersOfTau.PreparePhase2(Path("p1.ptau"), Path("pf.ptau"), prepare);
        AssertMovement(prepare);
        var verify = new Recorder();
        Assert.Equal("alice", Assert.Single(PowersOfTau.Verify(Path("pf.ptau"), verify)).Name);
        AssertMovement(verify);
    }

    [Fact]
    public void PowersOfTauVerifyWithProgressStillRejectsATamperedFile()
    {
        PowersOfTau.New(3, Path("p0.ptau"));
        PowersOfTau.Contribute(Path("p0.ptau"), Path("p1.ptau"), "alice", "alice entropy");
        // τ²·G1 and τ³·G1 swapped: valid points, no longer a sequence of powers. Section 2's points start at byte 80
        // (file header 12, section 1 of 12 + 44, section 2's header 12), 64 bytes each.
        var bytes = File.ReadAllBytes(Path("p1.ptau"));
        var second = bytes.AsSpan(80 + 2 * 64, 64).ToArray();
        bytes.AsSpan(80 + 3 * 64, 64).CopyTo(bytes.AsSpan(80 + 2 * 64));
        second.CopyTo(bytes.AsSpan(80 + 3 * 64));
        File.WriteAllBytes(Path("bad.ptau"), bytes);
        var progress = new Recorder();
        var e = Assert.Throws<CeremonyVerificationException>(() => PowersOfTau.Verify(Path("bad.ptau"), progress));
        Assert.Contains("tau·G1 section", e.Message);
        Assert.DoesNotContain(1.0, progress.Values);
    }

    [Fact]
    public void ZkeyNewContributeBeaconAndVerifyReportMovement()
    {
        var ptau = PreparedPtau(5);
        var circuit = PowerChain(24);
        var created = new Recorder();
        ZkeyCeremony.New(circuit, ptau, Path("z0.zkey"), created);
        AssertMovement(created);

        var contribute = new Recorder();
        ZkeyCeremony.Contribute(Path("z0.zkey"), Path("z1.zkey"), "bob", "bob entropy", contribute);
        AssertMovement(contribute);

        var beacon = new Recorder();
        var last = ZkeyCeremony.Beacon(Path("z1.zkey"), Path("z2.zkey"), "final", BeaconHex, 10, beacon);
        AssertMovement(beacon);
        ZkeyCeremony.Beacon(Path("z1.zkey"), Path("z2-quiet.zkey"), "final", BeaconHex, 10);
        Assert.Equal(File.ReadAllBytes(Path("z2-quiet.zkey")), File.ReadAllBytes(Path("z2.zkey")));

        var verify = new Recorder();
        var chain = ZkeyCeremony.Verify(circuit, ptau, Path("z2.zkey"), verify);
        AssertMovement(verify);
        Assert.Equal(["bob", "final"], chain.Select(c => c.Name));
        Assert.Equal(last.Hash, chain[^1].Hash);
    }
}
