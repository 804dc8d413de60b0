namespace AutoGlacier.Log;

/// <summary>Writes a run's "files" JSON array value into <paramref name="output"/> (from a spool or a copied range).</summary>
internal delegate ValueTask FilesWriter(OutputBuffer output, CancellationToken cancellationToken);
