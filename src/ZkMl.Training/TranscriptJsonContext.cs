using System.Text.Json.Serialization;

namespace ZkMl.Training;

/// <summary>
/// Source-generated JSON metadata of <see cref="TrainingTranscript"/> and the types it holds, so transcripts are read and
/// written without runtime reflection (the `zkml` tool is compiled with Native AOT). Naming, enum and strictness
/// options are the transcript's own (applied at run time), so the JSON is unchanged.
/// </summary>
[JsonSerializable(typeof(TrainingTranscript))]
internal sealed partial class TranscriptJsonContext : JsonSerializerContext;
