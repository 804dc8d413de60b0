namespace AutoGlacier.LocalGlacier;

/// <summary>Kept after CompleteMultipartUpload so that a retried Complete returns the same archive.</summary>
internal sealed record CompletedUpload(string ArchiveId, long Size, string TreeHash);
