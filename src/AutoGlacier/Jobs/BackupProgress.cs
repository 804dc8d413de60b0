namespace AutoGlacier;

/// <summary>A progress report from a running backup (sent through <see cref="IProgress{T}"/>).</summary>
/// <param name="BytesRead">File bytes read so far.</param>
/// <param name="BytesWritten">Archive bytes (compressed, encrypted) written to the vault so far.</param>
/// <param name="CurrentFile">The file being read, if any.</param>
/// <param name="BytesPerSecond">Read rate since the start.</param>
/// <param name="FilesDone">Entries processed.</param>
/// <param name="FilesTotal">Entries gathered.</param>
public sealed record BackupProgress(long BytesRead, long BytesWritten, string? CurrentFile, double BytesPerSecond, int FilesDone, int FilesTotal);
