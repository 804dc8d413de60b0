namespace AutoGlacier.Tests.Support;

/// <summary>
/// Tests that read the process's managed heap (GC.GetTotalMemory) run alone: other tests allocating on other
/// threads at the same time would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Name = "memory measurement (runs alone)";
}
