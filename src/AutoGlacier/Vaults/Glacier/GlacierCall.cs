namespace AutoGlacier.Vaults.Glacier;

/// <summary>Names one request for retries and messages: the Glacier operation and, for parts, which one.</summary>
/// <param name="Operation">Glacier operation, e.g. UploadMultipartPart.</param>
/// <param name="Detail">What it is about, e.g. "part 3 (bytes 2097152-3145727)"; null when nothing to add.</param>
internal sealed record GlacierCall(string Operation, string? Detail = null);
