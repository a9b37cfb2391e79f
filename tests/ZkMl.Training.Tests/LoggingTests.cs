using Microsoft.Extensions.Logging;

namespace ZkMl.Training.Tests;

/// <summary>Verdicts and proven steps reach an application's ILogger.</summary>
public class LoggingTests
{
    [Fact]
    public void ProvenStepsAndVerdictsAreLogged()
    {
        var run = new FakeRun(steps: 3);
        var log = new ListLogger();
        run.Prover.Logger = log;
        var transcript = run.Train();
        Assert.Equal(3, log.Entries.Count(e => e.Level == LogLevel.Information && e.Message.Contains("proven", StringComparison.Ordinal)));

        var verifier = run.Verifier();
        verifier.Logger = log;
        Assert.True(verifier.VerifyRun(transcript).IsValid);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message.StartsWith("Run accepted", StringComparison.Ordinal));

        var other = new FakeRun(steps: 3).Verifier();                 // another contract: the transcript is rejected
        other.Logger = log;
        Assert.False(other.VerifyRun(transcript).IsValid);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Run rejected", StringComparison.Ordinal));
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries) Entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
