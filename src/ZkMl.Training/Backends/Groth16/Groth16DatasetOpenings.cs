using ZkMl.Hashing;
using ZkMl.Circuits.Gadgets;
using ZkMl.Field;

namespace ZkMl.Training.Backends.Groth16;

/// <summary>The data-set tree over salted leaves, each row's salt and its unsalted sample leaf (what the membership circuit opens).</summary>
internal sealed record Groth16DatasetOpenings(PoseidonMerkleTree<Bn254Fr> Tree, Bn254Fr[] Salts, Bn254Fr[] SampleLeaves) : DatasetOpenings;
