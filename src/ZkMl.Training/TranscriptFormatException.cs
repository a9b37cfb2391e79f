namespace ZkMl.Training;

/// <summary>A transcript file is malformed: not JSON, wrong format or version, missing or inconsistent fields.</summary>
public sealed class TranscriptFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TranscriptFormatException(string message, Exception? inner = null) : base(message, inner) { }
}
