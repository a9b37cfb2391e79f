namespace ZkMl.Training.Backends;

/// <summary>What a backend keeps of a data-set commitment to open rows later (its tree and row salts); each backend derives its own.</summary>
internal abstract record DatasetOpenings;
