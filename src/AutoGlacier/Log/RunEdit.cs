namespace AutoGlacier.Log;

/// <summary>The one run a rewrite replaces or adds; every other run is copied verbatim.</summary>
/// <param name="Key">The run key.</param>
/// <param name="Record">The new record.</param>
/// <param name="Files">Writes the "files" value, or null to leave it out.</param>
internal sealed record RunEdit(string Key, RunRecord Record, FilesWriter? Files);

/// <summary>Writes a run's "files" JSON array value into <paramref name="output"/> (from a spool or a copied range).</summary>
internal delegate ValueTask FilesWriter(OutputBuffer output, CancellationToken cancellationToken);
