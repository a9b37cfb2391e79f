using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Tests.Groth16;

/// <summary>Standard listeners (what dotnet-counters and OpenTelemetry use) see the setup and prover phases.</summary>
public class TelemetryTests
{
    [Fact]
    public void SetupAndProverPhasesAreTracedAndMeasured()
    {
        var activities = new ConcurrentBag<string>();
        var measured = new ConcurrentBag<string>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Groth16Telemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => activities.Add(a.OperationName),
        };
        ActivitySource.AddActivityListener(activityListener);
        using var meterListener = new MeterListener();
        meterListener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Groth16Telemetry.Name) l.EnableMeasurementEvents(instrument);
        };
        meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            Assert.True(value >= 0);
            foreach (var tag in tags) if (tag.Key == "phase") measured.Add(instrument.Name + ":" + tag.Value);
        });
        meterListener.Start();

        var b = new R1csBuilder<Bn254Fr>();
        var x = b.PrivateInput(Bn254Fr.FromUInt64(3));
        b.PublicOutput(b.Mul(x, x));
        var circuit = b.Build();
        var key = Groth16Setup.Development(circuit.System);
        new Groth16Prover().Prove(key, circuit.Witness);

        Assert.Contains("setup", activities);
        Assert.Contains("quotient", activities);
        Assert.Contains("msm", activities);
        Assert.Contains("zkml.snark.phase.duration:msm", measured);
        Assert.Contains("zkml.snark.phase.duration:setup", measured);
    }
}
