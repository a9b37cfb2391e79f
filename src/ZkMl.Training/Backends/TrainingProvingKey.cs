namespace ZkMl.Training.Backends;

/// <summary>A backend's private proving material from setup (Groth16: the proving keys); each backend that has one derives its own.</summary>
internal abstract record TrainingProvingKey;
